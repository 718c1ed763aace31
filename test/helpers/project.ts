/** Temp project directories built from the repo's fixtures, and snapshots to prove what changed. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../plugin/types';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

/** A fresh temp dir with the given fixture files/folders copied in: { 'dest/rel': 'gltf/BoxTextured' }. */
export function makeProject(copies: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-test-'));
  for (const [dest, src] of Object.entries(copies)) {
    fs.cpSync(path.join(FIXTURES, src), path.join(dir, dest), { recursive: true });
  }
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function writeJSON(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Every file under dir (dot-folders included) → content hash and mtime. */
export function snapshot(dir: string): Record<string, { hash: string; mtimeMs: number }> {
  const out: Record<string, { hash: string; mtimeMs: number }> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else {
        const file = path.join(dir, child);
        out[child] = { hash: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), mtimeMs: fs.statSync(file).mtimeMs };
      }
    }
  };
  walk('');
  return out;
}

export async function imageSize(bytes: Uint8Array | string): Promise<[number, number]> {
  const meta = await sharp(bytes).metadata();
  return [meta.width!, meta.height!];
}

export async function decode(bytes: Uint8Array | string): Promise<RawImage> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}

export async function encodePNG(image: RawImage): Promise<Uint8Array> {
  return new Uint8Array(await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer());
}

/** A w×h RGBA image: a colour gradient whose alpha ramps 0..255 left to right. */
export function gradientRGBA(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 4;
    data.set([Math.round((255 * x) / (w - 1)), Math.round((255 * y) / (h - 1)), 128, Math.round((255 * x) / (w - 1))], i);
  }
  return { data, width: w, height: h, channels: 4 };
}

/** A w×h tangent-space normal map of a bumpy surface (unit vectors, encoded 0..255). */
export function bumpyNormals(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const nx = 0.7 * Math.sin((x / w) * Math.PI * 6);
    const ny = 0.7 * Math.cos((y / h) * Math.PI * 4);
    const len = Math.hypot(nx, ny, 1);
    const v = [nx / len, ny / len, 1 / len];
    data.set(v.map((c) => Math.round((c * 0.5 + 0.5) * 255)), (y * w + x) * 3);
  }
  return { data, width: w, height: h, channels: 3 };
}

/** Mean and max |length − 1| of the decoded normals. */
export function normalLengthStats(image: RawImage): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  const n = image.width * image.height;
  for (let i = 0; i < n; i++) {
    const o = i * image.channels;
    const v = [0, 1, 2].map((c) => (image.data[o + c] / 255) * 2 - 1);
    const err = Math.abs(Math.hypot(v[0], v[1], v[2]) - 1);
    sum += err;
    max = Math.max(max, err);
  }
  return { mean: sum / n, max };
}
