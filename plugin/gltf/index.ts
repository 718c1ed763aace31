export { createIO, BytesIO, parseContainer, listExternalResources, type ExternalResource } from './io';
export { textureUsage, slotKind, type TextureUsage } from './slots';
export { setTextureImage } from './image-slot';
export { keepEmbedded } from './embed';
