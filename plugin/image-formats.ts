/**
 * The image formats Remaster reads and writes, in one table: file extensions (the first is the one
 * written), mime type (glTF `mimeType`), and sharp's format name.
 */

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export const IMAGE_FORMATS: Readonly<Record<ImageFormat, { mimeType: string; extensions: readonly string[] }>> = {
  png: { mimeType: 'image/png', extensions: ['.png'] },
  jpeg: { mimeType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  webp: { mimeType: 'image/webp', extensions: ['.webp'] },
};

/** Every image file extension, lower case with the dot. */
export const IMAGE_EXTENSIONS: readonly string[] = Object.values(IMAGE_FORMATS).flatMap((f) => f.extensions);

export const MIME_BY_FORMAT: Readonly<Record<ImageFormat, string>> = {
  png: IMAGE_FORMATS.png.mimeType, jpeg: IMAGE_FORMATS.jpeg.mimeType, webp: IMAGE_FORMATS.webp.mimeType,
};

/** The format of a file extension (`.JPG` → jpeg), case-insensitive; undefined when not an image. */
export function formatOfExtension(ext: string): ImageFormat | undefined {
  const lower = ext.toLowerCase();
  return (Object.keys(IMAGE_FORMATS) as ImageFormat[]).find((f) => IMAGE_FORMATS[f].extensions.includes(lower));
}

/** The format of a mime type; undefined for anything else (KTX2, unknown). */
export function formatOfMime(mimeType: string): ImageFormat | undefined {
  return (Object.keys(IMAGE_FORMATS) as ImageFormat[]).find((f) => IMAGE_FORMATS[f].mimeType === mimeType);
}

/** `wall.webp` for (`wall.png`, webp): the same name with the format's extension, unless it already has one of its. */
export function withFormatExtension(rel: string, format: ImageFormat): string {
  const dot = rel.lastIndexOf('.');
  const slash = rel.lastIndexOf('/');
  const ext = dot > slash ? rel.slice(dot) : '';
  if (IMAGE_FORMATS[format].extensions.includes(ext.toLowerCase())) return rel;
  return rel.slice(0, rel.length - ext.length) + IMAGE_FORMATS[format].extensions[0];
}
