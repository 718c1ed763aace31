/**
 * Horizontal field of view from a photo's EXIF: FocalLengthIn35mmFilm (tag 0xA405), taken as defined,
 * equivalent on the diagonal of a 36×24 mm frame (43.27 mm), applied to the photo's own aspect ratio.
 * Undefined when the tag is missing or unreadable (the caller falls back to --fov or 65°).
 */

const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/** The 35 mm-equivalent focal length in an EXIF block (sharp's `metadata().exif`), if present. */
export function focalLength35mm(exif: Uint8Array | undefined): number | undefined {
  if (!exif || exif.length < 14) return undefined;
  let base = 0;
  if (String.fromCharCode(...exif.subarray(0, 4)) === 'Exif') base = 6;
  const view = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
  const order = String.fromCharCode(exif[base], exif[base + 1]);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (o + 2 <= exif.length ? view.getUint16(base + o, le) : NaN);
  const u32 = (o: number) => (o + 4 <= exif.length ? view.getUint32(base + o, le) : NaN);
  // Walks one IFD for a tag; returns the offset of its value field.
  const find = (ifd: number, tag: number): number | undefined => {
    const count = u16(ifd);
    if (!Number.isFinite(count) || count > 1000) return undefined;
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (u16(entry) === tag) return entry + 8;
    }
    return undefined;
  };
  const ifd0 = u32(4);
  if (!Number.isFinite(ifd0)) return undefined;
  const exifPointer = find(ifd0, 0x8769);
  if (exifPointer === undefined) return undefined;
  const exifIfd = u32(exifPointer);
  if (!Number.isFinite(exifIfd)) return undefined;
  const f35 = find(exifIfd, 0xa405);
  if (f35 === undefined) return undefined;
  const value = u16(f35);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Horizontal field of view in degrees for a width×height photo with a 35 mm-equivalent focal length. */
export function fovFrom35mm(f35: number, width: number, height: number): number {
  const widthMm = (FULL_FRAME_DIAGONAL_MM * width) / Math.hypot(width, height);
  return (2 * Math.atan(widthMm / (2 * f35)) * 180) / Math.PI;
}
