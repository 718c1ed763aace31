/** One .gltf/.glb: read from its originals, remaster its textures, write it (and its files) back. */
import { Format, type Document, type JSONDocument } from '@gltf-transform/core';
import path from 'node:path';
import { firstLine, showName } from '../config/errors';
import { keepEmbedded } from '../gltf/embed';
import { listExternalResources, parseContainer } from '../gltf/io';
import { unknownExtensions } from '../gltf/unknown-extensions';
import { assertBufferBounds } from '../safety/gltf-bounds';
import { processAsset } from './asset';
import type { AssetOutcome, RunContext } from './context';
import { inspectFile, originalBytes, type FileSource } from './file-source';
import type { TextureReport } from './report';
import { renameChangedBuffers } from './fresh-buffer-names';
import { remasterDocument } from './transform';

export async function processModel(ctx: RunContext, key: string, type: 'gltf' | 'glb'): Promise<AssetOutcome> {
  const { root, state, io } = ctx;
  let jsonDoc: JSONDocument;
  let originalJSON: JSONDocument['json'];
  let sources: FileSource[];
  return processAsset(ctx, key, type, {
    async read() {
      const main = await inspectFile(root, state, key);
      const mainBytes = await originalBytes(root, main);
      if (!mainBytes) throw new Error('file is missing');
      jsonDoc = await parseContainer(io, mainBytes, type);
      if (type === 'glb') {
        // glTF Transform reads a GLB's images from its BIN chunk only; writing it back would embed them.
        const external = listExternalResources(root, key, jsonDoc.json).find((r) => r.role === 'image');
        if (external) throw new Error(`image "${showName(external.uri)}" is an external file, which Remaster does not support in a .glb (embed it, or export .gltf); model left unchanged`);
      }
      originalJSON = structuredClone(jsonDoc.json);
      sources = [main];
      for (const resource of listExternalResources(root, key, jsonDoc.json)) {
        const source = await inspectFile(root, state, resource.rel);
        const bytes = await originalBytes(root, source);
        if (!bytes) throw new Error(`${showName(resource.rel)} (referenced as "${showName(resource.uri)}") is missing`);
        jsonDoc.resources[resource.uri] = bytes as Uint8Array<ArrayBuffer>; // fs buffers are never shared memory
        sources.push(source);
      }
      return { sources };
    },
    async remaster(rules) {
      const unknown = unknownExtensions(jsonDoc.json);
      if (unknown.length) {
        // Rewriting would drop them: the model stays as it is, and the report says why.
        const warning = `uses ${unknown.join(', ')}, which Remaster cannot carry over: model left unchanged`;
        return { textures: [], warnings: [warning], work: [], outputs: null, leave: warning };
      }
      let document: Document;
      try {
        assertBufferBounds(jsonDoc);
        document = await io.readJSON(jsonDoc);
      } catch (err) {
        throw new Error(`cannot read model: ${firstLine(err)}`, { cause: err });
      }
      const textures: TextureReport[] = [];
      const warnings: string[] = [];
      const { changed, work } = await remasterDocument(document, {
        rules,
        path: key,
        processor: ctx.processor,
        onTexture: (t) => textures.push(t),
        onWarning: (w) => warnings.push(w),
      });
      if (!changed) {
        // A model whose textures are all left alone for a reason (KTX2, conflicting kinds) says so.
        const reason = textures.length ? 'textures already match the rules' : warnings.length ? warnings.join('; ') : 'no rule applies';
        return { textures, warnings, work, outputs: null, unchanged: { reason, restored: 'no texture to change: originals restored' } };
      }
      return { textures, warnings, work, outputs: () => modelOutputs(ctx, key, type, document, originalJSON, sources) };
    },
  });
}

/**
 * The model's new files: a .glb as one file; a .gltf's resources first, the model switched to them
 * last (by its own atomic rename). A changed .bin goes under a new name, its old file removed after the
 * switch (see fresh-buffer-names.ts).
 */
async function modelOutputs(ctx: RunContext, key: string, type: 'gltf' | 'glb', document: Document, originalJSON: JSONDocument['json'], sources: FileSource[]): Promise<Map<string, Uint8Array | null>> {
  const outputs = new Map<string, Uint8Array | null>();
  if (type === 'glb') {
    outputs.set(key, await ctx.io.writeBinary(document));
    return outputs;
  }
  const basename = path.posix.basename(key, path.posix.extname(key));
  const out = await ctx.io.writeJSON(document, { format: Format.GLTF, basename });
  const buffers = renameChangedBuffers(ctx.root, key, out, keepEmbedded(originalJSON, out), sources);
  for (const [rel, bytes] of buffers.before) outputs.set(rel, bytes);
  outputs.set(key, new TextEncoder().encode(JSON.stringify(out.json, null, 2)));
  for (const rel of buffers.after) outputs.set(rel, null);
  return outputs;
}
