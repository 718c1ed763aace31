/**
 * Minimal Truevision TGA reader (uncompressed and RLE; true-colour 24/32-bit or 8-bit greyscale), for the game texture
 * sets the benchmark reads (Nexuiz ships .tga; sharp/libvips does not read TGA). Returns RGB(A) bytes.
 */
export interface DecodedTga {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

export function decodeTga(bytes: Uint8Array, name = 'image'): DecodedTga {
  const idLength = bytes[0], colorMapType = bytes[1], type = bytes[2];
  const width = bytes[12] | (bytes[13] << 8), height = bytes[14] | (bytes[15] << 8);
  const bpp = bytes[16], descriptor = bytes[17];
  const grey = type === 3 || type === 11;
  if (colorMapType !== 0 || ![2, 3, 10, 11].includes(type) || (grey ? bpp !== 8 : bpp !== 24 && bpp !== 32)) {
    throw new Error(`${name}: unsupported TGA (type ${type}, ${bpp} bits, colour map ${colorMapType})`);
  }
  const px = bpp / 8, channels = (grey ? 3 : px) as 3 | 4;
  const n = width * height;
  const raw = new Uint8Array(n * px);
  let src = 18 + idLength;
  if (type === 2 || type === 3) {
    raw.set(bytes.subarray(src, src + n * px));
  } else {
    let i = 0;
    while (i < n && src < bytes.length) {
      const head = bytes[src++];
      const count = (head & 0x7f) + 1;
      if (head & 0x80) {
        for (let k = 0; k < count && i < n; k++, i++) raw.set(bytes.subarray(src, src + px), i * px);
        src += px;
      } else {
        raw.set(bytes.subarray(src, src + count * px), i * px);
        src += count * px;
        i += count;
      }
    }
  }
  const topDown = (descriptor & 0x20) !== 0;
  const data = new Uint8Array(n * channels);
  for (let y = 0; y < height; y++) {
    const sy = topDown ? y : height - 1 - y;
    for (let x = 0; x < width; x++) {
      const s = (sy * width + x) * px, d = (y * width + x) * channels;
      if (grey) { data[d] = data[d + 1] = data[d + 2] = raw[s]; continue; }
      data[d] = raw[s + 2]; data[d + 1] = raw[s + 1]; data[d + 2] = raw[s];
      if (channels === 4) data[d + 3] = raw[s + 3];
    }
  }
  return { width, height, channels, data };
}
