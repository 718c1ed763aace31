/**
 * Replacing a texture's image, keeping the model valid: mime type, file URI extension, and the
 * EXT_texture_webp extension when an image becomes WebP (glTF core only allows PNG and JPEG).
 */
import type { Document, Texture } from '@gltf-transform/core';
import { EXTTextureWebP } from '@gltf-transform/extensions';
import { formatOfMime, IMAGE_FORMATS } from '../image-formats';


export function setTextureImage(document: Document, texture: Texture, bytes: Uint8Array, mimeType: string): void {
  const before = texture.getMimeType();
  texture.setImage(bytes).setMimeType(mimeType);
  if (before === mimeType) return;
  const uri = texture.getURI();
  if (uri && !uri.startsWith('data:')) texture.setURI(replaceExtension(uri, IMAGE_FORMATS[formatOfMime(mimeType)!].extensions[0]));
  if (mimeType === 'image/webp') {
    const webp = document.getRoot().listExtensionsUsed().find((e) => e.extensionName === EXTTextureWebP.EXTENSION_NAME);
    // Required: there is no PNG/JPEG fallback left for loaders without WebP support.
    (webp ?? document.createExtension(EXTTextureWebP)).setRequired(true);
  }
}

function replaceExtension(uri: string, ext: string): string {
  const slash = uri.lastIndexOf('/');
  const dot = uri.lastIndexOf('.');
  return (dot > slash ? uri.slice(0, dot) : uri) + ext;
}
