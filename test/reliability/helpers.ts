/**
 * Building blocks for the reliability suite: hostile and broken inputs made from code (crafted PNG
 * headers with valid CRCs, glTF JSON with chosen URIs), the real CLI as a child process, and tree
 * hashes to prove what did or did not change.
 */
import { Document, Format } from '@gltf-transform/core';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createIO } from '../../plugin/gltf';
import { addTriangle } from '../helpers/model';

/** The repository root, from the sources (jest) or from dist/ (npm run soak). */
export const REPO = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'bin', 'remaster.js'))) {
    if (path.dirname(dir) === dir) throw new Error(`no bin/remaster.js above ${__dirname}`);
    dir = path.dirname(dir);
  }
  return dir;
})();

export let BIN = path.join(REPO, 'bin', 'remaster.js');

/**
 * Runs the CLI from a private copy of bin/ + dist/ (inside the repo, so node_modules still resolve):
 * in a shared working tree any `jest` run rebuilds dist/, which would change the outputs of a long
 * soak half-way through. Returns the function that removes the copy.
 */
export function usePrivateBuild(): () => void {
  const dir = path.join(REPO, `.soak-build-${process.pid}`);
  fs.cpSync(path.join(REPO, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.cpSync(path.join(REPO, 'bin'), path.join(dir, 'bin'), { recursive: true });
  BIN = path.join(dir, 'bin', 'remaster.js');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export interface CLIResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `remaster ...args` to completion. */
export function cli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): CLIResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: options.cwd, timeout: options.timeoutMs ?? 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `remaster run <dir> --json` and its parsed report. */
export function runJSON(dir: string, ...extra: string[]): CLIResult & { report: Report } {
  const r = cli(['run', dir, '--json', ...extra]);
  let report: Report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`run --json printed no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  return { ...r, report };
}

export interface Report {
  processed: { path: string; files: string[] }[];
  skipped: { path: string; reason: string }[];
  failed: { path: string; error: string }[];
}

/**
 * `remaster ...args` with its peak RSS (MiB) and wall time, measured in the child itself (rss-probe.js).
 */
export function cliMeasured(args: string[]): CLIResult & { peakMiB: number; seconds: number } {
  const rssFile = path.join(os.tmpdir(), `remaster-rss-${process.pid}-${Date.now()}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(REPO, 'test', 'reliability', 'rss-probe.js'), BIN, ...args], {
    encoding: 'utf8', env: { ...process.env, REMASTER_RSS_FILE: rssFile }, maxBuffer: 256 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(rssFile, { force: true });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, peakMiB, seconds };
}

/** Starts `remaster ...args` without waiting (for kills, locks and watch mode). */
export function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A temp folder holding `project/` and, beside it, files that are outside the project. */
export function makeSandbox(): { base: string; project: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'remaster-rel-'));
  const project = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(project);
  fs.mkdirSync(outside);
  return { base, project, outside };
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function write(file: string, bytes: Uint8Array | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
}

export function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every regular file under dir (dot-folders included, symlinks not followed) → content hash. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out[child] = sha(fs.readFileSync(path.join(dir, child)));
      else if (entry.isSymbolicLink()) out[child] = `symlink → ${fs.readlinkSync(path.join(dir, child))}`;
    }
  };
  walk('');
  return out;
}

/** A w×h noisy RGB(A) PNG: noise so outputs differ per seed and nothing compresses to nothing. */
export async function noisePNG(w: number, h: number, seed = 1, channels: 3 | 4 = 3): Promise<Buffer> {
  const data = Buffer.alloc(w * h * channels);
  let s = Math.imul(seed, 2654435761) >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return sharp(data, { raw: { width: w, height: h, channels } }).png().toBuffer();
}

/** The same pixels in another container. */
export async function reencode(png: Buffer, format: 'jpeg' | 'webp'): Promise<Buffer> {
  return sharp(png)[format]({ quality: 90 }).toBuffer();
}

// ---- Crafted PNGs ------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * A structurally valid PNG (correct CRCs) declaring w×h. `bitDepth` 1 greyscale keeps a real
 * all-zero image of hundreds of megapixels down to a few hundred KB: a true decompression bomb.
 * `rows` (default 1) is how many zero rows the IDAT really holds: fewer than h, and the header lies.
 */
export function craftPNG(w: number, h: number, options: { bitDepth?: 1 | 8; colorType?: 0 | 2 | 6; rows?: number } = {}): Buffer {
  const bitDepth = options.bitDepth ?? 8;
  const colorType = options.colorType ?? 6;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const samples = colorType === 6 ? 4 : colorType === 2 ? 3 : 1;
  const rowBytes = 1 + Math.ceil((w * samples * bitDepth) / 8);
  const rows = options.rows ?? 1;
  const compressed = zlib.deflateSync(Buffer.alloc(rowBytes * rows), { level: 9 });
  const parts = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', compressed), pngChunk('IEND', Buffer.alloc(0))];
  return Buffer.concat(parts);
}

/** A real JPEG whose SOF header is patched to declare w×h (the scan data stays tiny). */
export async function jpegDeclaring(w: number, h: number): Promise<Buffer> {
  const jpeg = Buffer.from(await sharp(await noisePNG(16, 16)).jpeg().toBuffer());
  for (let i = 2; i < jpeg.length - 9; ) {
    if (jpeg[i] !== 0xff) throw new Error('unexpected JPEG layout');
    const marker = jpeg[i + 1];
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(h, i + 5);
      jpeg.writeUInt16BE(w, i + 7);
      return jpeg;
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker');
}

// ---- glTF ----------------------------------------------------------------------------------------

/**
 * A valid one-triangle .gltf JSON whose baseColor image has the given URI (or embedded bytes), with
 * its geometry buffer embedded unless `bufferUri` is given.
 */
export async function gltfJSON(image: { uri: string } | { bytes: Uint8Array; mimeType?: string }, bufferUri?: string): Promise<{ json: any; bin: Uint8Array }> {
  const doc = new Document();
  doc.createBuffer();
  const tex = doc.createTexture('base').setMimeType('image/png').setImage(new Uint8Array(await noisePNG(8, 8)));
  if ('uri' in image) tex.setURI(image.uri);
  addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(tex));
  const io = createIO();
  const out = await io.writeJSON(doc, { format: Format.GLTF, basename: 'model' });
  const json = out.json as any;
  const binUri = json.buffers[0].uri as string;
  const bin = out.resources[binUri];
  json.buffers[0].uri = bufferUri ?? `data:application/octet-stream;base64,${Buffer.from(bin).toString('base64')}`;
  if ('uri' in image) json.images[0].uri = image.uri;
  else json.images[0].uri = `data:${image.mimeType ?? 'image/png'};base64,${Buffer.from(image.bytes).toString('base64')}`;
  return { json, bin };
}

/** A valid GLB whose baseColor image is the given bytes (embedded in the BIN chunk). */
export async function glbWithImage(bytes: Uint8Array, mimeType = 'image/png'): Promise<Uint8Array> {
  const doc = new Document();
  doc.createBuffer();
  const tex = doc.createTexture('base').setMimeType(mimeType).setImage(bytes);
  addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(tex));
  return createIO().writeBinary(doc);
}

/**
 * A .gltf whose baseColor image lives in its external .bin (a bufferView), as exporters write it: the
 * .bin then changes whenever the image is remastered. Returns the JSON (buffer URI `binUri`) and the .bin.
 */
export async function gltfWithImageInBin(png: Uint8Array, binUri: string): Promise<{ json: any; bin: Uint8Array }> {
  const glb = Buffer.from(await glbWithImage(png));
  const jsonLength = glb.readUInt32LE(12);
  const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8'));
  const binStart = 20 + jsonLength;
  const bin = glb.subarray(binStart + 8, binStart + 8 + glb.readUInt32LE(binStart));
  json.buffers[0].uri = binUri;
  return { json, bin: new Uint8Array(bin) };
}
