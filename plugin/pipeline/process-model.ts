/** One .gltf/.glb: read from its originals, remaster its textures, write it (and its files) back. */
import { Format } from '@gltf-transform/core';
import path from 'node:path';
import { firstLine } from '../config/errors';
import { rulesForAsset } from '../config/resolve';
import { keepEmbedded } from '../gltf/embed';
import { listExternalResources, parseContainer } from '../gltf/io';
import { assertBufferBounds } from '../safety/gltf-bounds';
import { saveState } from '../state/store';
import { commitAsset } from './commit';
import { assetFingerprint, type AssetOutcome, type RunContext } from './context';
import { inspectFile, originalBytes, type FileSource } from './file-source';
import type { TextureReport } from './report';
import { restoreAsset } from './restore';
import { renameChangedBuffers } from './fresh-buffer-names';
import { remasterDocument } from './transform';
import { isUpToDate } from './up-to-date';

export async function processModel(ctx: RunContext, key: string, type: 'gltf' | 'glb'): Promise<AssetOutcome> {
  const { root, state, io } = ctx;
  const main = await inspectFile(root, state, key);
  const mainBytes = await originalBytes(root, main);
  if (!mainBytes) throw new Error('file is missing');
  const jsonDoc = await parseContainer(io, mainBytes, type);
  const originalJSON = structuredClone(jsonDoc.json);

  const sources: FileSource[] = [main];
  for (const resource of listExternalResources(root, key, jsonDoc.json)) {
    const source = await inspectFile(root, state, resource.rel);
    const bytes = await originalBytes(root, source);
    if (!bytes) throw new Error(`${resource.rel} (referenced as "${resource.uri}") is missing`);
    jsonDoc.resources[resource.uri] = bytes as Uint8Array<ArrayBuffer>; // fs buffers are never shared memory
    sources.push(source);
  }

  const rules = [...ctx.rules, ...(ctx.sidecars.get(key) ?? [])];
  const fingerprint = assetFingerprint(Object.fromEntries(sources.map((s) => [s.rel, s.originalHash])), rulesForAsset(rules, key));
  const previous = state.assets[key];
  if (previous && previous.fingerprint === fingerprint && (await isUpToDate(ctx, key))) {
    return { outcome: 'skipped', reason: 'unchanged', warnings: [] };
  }

  let document;
  try {
    assertBufferBounds(jsonDoc);
    document = await io.readJSON(jsonDoc);
  } catch (err) {
    throw new Error(`cannot read model: ${firstLine(err)}`);
  }
  const textures: TextureReport[] = [];
  const warnings: string[] = [];
  const changed = await remasterDocument(document, {
    rules,
    path: key,
    processor: ctx.processor,
    onTexture: (t) => {
      textures.push(t);
      ctx.processor.reported(t);
    },
    onWarning: (w) => warnings.push(w),
  });

  if (!changed) {
    // Nothing to do under the current rules: the right output is the original itself.
    if (previous && !ctx.dryRun) {
      await ctx.serial.run(async () => {
        await restoreAsset(root, state, key);
        await saveState(root, state);
      });
      return { outcome: 'processed', textures, files: previous.files, warnings: [...warnings, 'no texture to change: originals restored'] };
    }
    return { outcome: 'skipped', reason: textures.length ? 'textures already match the rules' : 'no rule applies', warnings };
  }
  if (ctx.dryRun) return { outcome: 'processed', textures, files: [], warnings };

  const outputs = new Map<string, Uint8Array | null>();
  if (type === 'glb') {
    outputs.set(key, await io.writeBinary(document));
  } else {
    const basename = path.posix.basename(key, path.posix.extname(key));
    const out = await io.writeJSON(document, { format: Format.GLTF, basename });
    // Resources first: the model is switched to them last, by its own atomic rename. A changed .bin
    // goes under a new name, its old file removed after the switch (see fresh-buffer-names.ts).
    const buffers = renameChangedBuffers(root, key, out, keepEmbedded(originalJSON, out), sources);
    for (const [rel, bytes] of buffers.before) outputs.set(rel, bytes);
    outputs.set(key, new TextEncoder().encode(JSON.stringify(out.json, null, 2)));
    for (const rel of buffers.after) outputs.set(rel, null);
  }
  const files = await ctx.serial.run(() => commitAsset(root, state, ctx.written, {
    key, type, sources, outputs, fingerprint,
    rules: [...new Set(textures.flatMap((t) => t.rule))],
    engines: [...new Set(textures.map((t) => t.engine))],
  }));
  return { outcome: 'processed', textures, files, warnings };
}
