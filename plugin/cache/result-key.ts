/**
 * The result cache's key for one asset: its fingerprint (inputs' content hashes, rules, operation
 * defaults, pipeline version — plugin/pipeline/context.ts) plus what the fingerprint leaves out because
 * a project's own state never needed it: the content of each model file the rules or defaults name
 * (a retrained model under the same name), and the versions of the code that makes the bytes
 * (Remaster, onnxruntime, sharp/libvips and its encoders, the PNG encoder of plugin/png-encode.ts and
 * png-stream.ts; its settings are read from png-settings.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { env } from 'onnxruntime-node';
import sharp from 'sharp';
import type { SourcedRule } from '../config/types';
import { packageRoot, resolveModel } from '../engine/model-source';
import { PNG_DEFLATE_CHUNK, PNG_DEFLATE_LEVEL, PNG_FILTER, OWN_PNG_MAX_TEXELS } from '../png-settings';
import { listOperations } from '../ops/registry';
import { hashBytes, hashValue } from '../state/hash';

/** Model names found under any key named like "model" in a value (rules, operation defaults). */
function modelNames(value: unknown, out: Set<string>, key = ''): void {
  if (typeof value === 'string' && /model/i.test(key)) out.add(value);
  else if (Array.isArray(value)) for (const v of value) modelNames(v, out, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) modelNames(v, out, k);
}

let codeVersions: Record<string, string> | undefined;
function versions(): Record<string, string> {
  if (!codeVersions) {
    const own = JSON.parse(require('node:fs').readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version as string;
    const v = sharp.versions as Record<string, string | undefined>;
    // PNGs up to 4 MP are written by plugin/png-stream.ts with Node's zlib (the bytes pngjs wrote before, tested):
    // they follow zlib's version and the settings. Bump the encoder's number when png-stream.ts changes its bytes.
    const pngEncoder = `png-stream 1, zlib ${process.versions.zlib}, filter ${PNG_FILTER}, level ${PNG_DEFLATE_LEVEL}, chunk ${PNG_DEFLATE_CHUNK}, up to ${OWN_PNG_MAX_TEXELS}`;
    codeVersions = { remaster: own, onnxruntime: env.versions?.node ?? '', sharp: v.sharp ?? '', vips: v.vips ?? '', png: v.png ?? '', webp: v.webp ?? '', mozjpeg: v.mozjpeg ?? '', pngEncoder };
  }
  return codeVersions;
}

/** Per run: model file → content hash (each model read once). */
export type ModelHashes = Map<string, Promise<string>>;

export async function resultKey(root: string, asset: { key: string; type: string; fingerprint: string }, rules: SourcedRule[], models: ModelHashes): Promise<string> {
  const names = new Set<string>();
  modelNames(rules.map((r) => r.rule), names);
  for (const op of listOperations()) modelNames(op.fingerprint, names);
  const modelHashes: Record<string, string> = {};
  for (const name of [...names].sort()) {
    let file: string;
    try {
      const source = resolveModel(name, root, true);
      if (source.kind !== 'onnx') continue;
      file = source.file;
    } catch {
      continue; // not a model (pre-flight reports bad ones when it matters)
    }
    let hashed = models.get(file);
    if (!hashed) models.set(file, (hashed = fs.readFile(file).then(hashBytes)));
    modelHashes[name] = await hashed;
  }
  return hashValue({ cache: 1, asset: asset.key, type: asset.type, fingerprint: asset.fingerprint, models: modelHashes, code: versions() });
}
