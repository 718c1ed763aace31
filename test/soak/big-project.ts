/**
 * A synthetic big project for the scale bench and soak: `assets` assets in folders of 100, of which one
 * in `modelEvery` is a .gltf with its own external texture and the rest standalone 4×4 PNGs, every
 * file's content distinct. Built without sharp (a hand-made PNG per file), so 100,000 assets take
 * seconds, not minutes.
 *
 *   const files = await buildBigProject('/tmp/big', 10_000);
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { gltfJSON } from '../reliability/helpers';

export interface BigProjectOptions {
  /** One asset in this many is a .gltf model with an external texture (default 10). */
  modelEvery?: number;
  /** Texture side in pixels (default 4). */
  size?: number;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** An RGB PNG of `size`² pixels whose content depends on `seed` (distinct seeds, distinct files). */
export function seededPNG(size: number, seed: number): Buffer {
  const raw = Buffer.alloc(size * (1 + size * 3));
  let s = Math.imul(seed + 1, 2654435761) >>> 0;
  for (let y = 0; y < size; y++) {
    raw[y * (1 + size * 3)] = 0; // filter: none
    for (let i = 0; i < size * 3; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      raw[y * (1 + size * 3) + 1 + i] = s >>> 24;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes the project; returns how many files it holds. */
export async function buildBigProject(dir: string, assets: number, options: BigProjectOptions = {}): Promise<{ files: number; models: number; textures: number }> {
  const every = options.modelEvery ?? 10;
  const size = options.size ?? 4;
  const template = (await gltfJSON({ uri: 'base.png' })).json;
  let files = 0;
  let models = 0;
  let madeDir = '';
  for (let i = 0; i < assets; i++) {
    const folder = path.join(dir, `set${Math.floor(i / 100)}`);
    if (folder !== madeDir) fs.mkdirSync((madeDir = folder), { recursive: true });
    if (every > 0 && i % every === every - 1) {
      const json = structuredClone(template);
      json.images[0].uri = `m${i}.png`;
      fs.writeFileSync(path.join(folder, `m${i}.png`), seededPNG(size, i));
      fs.writeFileSync(path.join(folder, `m${i}.gltf`), JSON.stringify(json));
      files += 2;
      models++;
    } else {
      fs.writeFileSync(path.join(folder, `t${i}.png`), seededPNG(size, i));
      files++;
    }
  }
  return { files, models, textures: assets - models };
}
