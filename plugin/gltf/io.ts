/**
 * glTF/GLB container handling: an IO with every extension glTF Transform knows (so nothing is dropped
 * on rewrite), and the listing of a model's external files, resolved inside the project root.
 */
import { GLB_BUFFER, PlatformIO, type Document, type JSONDocument } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRDracoMeshCompression } from '@gltf-transform/extensions';
import { resolveResourceUri } from '../discovery/safe-path';
import { basisuFallbacks, rememberFallbacks, restoreFallbacks } from './basisu-fallback';
import { codecsFor } from './codecs';
import { dracoEncoderOptions } from './draco-options';

/**
 * glTF Transform's bytes ⇄ Document conversion with no file or network access of its own: the pipeline
 * reads and writes every file itself, through safe-path, so a URI can never reach outside the project.
 * (Unlike NodeIO it also loads under jest, which cannot run NodeIO's dynamic `import('node:fs')`.)
 */
export class BytesIO extends PlatformIO {
  protected async readURI(uri: string): Promise<never> {
    throw new Error(`resource "${uri}" was not provided (external files are read by the pipeline)`);
  }
  protected resolve(base: string, path: string): string {
    return base ? `${base}/${path}` : path;
  }
  protected dirname(uri: string): string {
    return uri.slice(0, Math.max(0, uri.lastIndexOf('/')));
  }

  /**
   * Registers the geometry decoders this model's extensions need (Draco, Meshopt), then reads it.
   * A Draco model keeps its own quantization and method for the rewrite (see draco-options), a KTX2
   * texture its PNG/JPEG fallback (see basisu-fallback).
   */
  override async readJSON(jsonDoc: JSONDocument): Promise<Document> {
    const codecs = await codecsFor(jsonDoc.json.extensionsUsed ?? [], 'read');
    this.registerDependencies(codecs);
    const pairs = basisuFallbacks(jsonDoc.json);
    const doc = await super.readJSON(jsonDoc);
    rememberFallbacks(doc, pairs);
    const draco = doc.getRoot().listExtensionsUsed().find((e) => e.extensionName === KHRDracoMeshCompression.EXTENSION_NAME);
    const options = draco && dracoEncoderOptions(codecs['draco3d.decoder'], jsonDoc);
    if (options) (draco as KHRDracoMeshCompression).setEncoderOptions(options);
    return doc;
  }

  /**
   * Registers the encoders of the compression the document uses, so glTF Transform re-compresses the
   * geometry on write instead of failing (writeBinary goes through here too).
   */
  override async writeJSON(doc: Document, options?: Parameters<PlatformIO['writeJSON']>[1]): Promise<JSONDocument> {
    const used = doc.getRoot().listExtensionsUsed().map((e) => e.extensionName);
    this.registerDependencies(await codecsFor(used, 'write'));
    const out = await super.writeJSON(doc, options);
    restoreFallbacks(doc, out.json);
    return out;
  }
}

/** A fresh IO for reading/writing models, every glTF Transform extension registered. */
export function createIO(): BytesIO {
  return new BytesIO().registerExtensions(ALL_EXTENSIONS);
}

/** A resource a model references by URI: the URI as written, and the project-relative file it names. */
export interface ExternalResource {
  uri: string;
  rel: string;
  role: 'buffer' | 'image';
}

/**
 * Parses a model file's bytes into glTF JSON plus, for GLB, its embedded binary chunk. External
 * resources are not loaded here (see listExternalResources), so nothing outside the root is touched.
 */
export async function parseContainer(io: PlatformIO, bytes: Uint8Array, type: 'gltf' | 'glb'): Promise<JSONDocument> {
  if (type === 'glb') {
    try {
      return await io.binaryToJSON(bytes);
    } catch (err) {
      // A GLB may name image files by URI; glTF Transform refuses those, but the plan must still see
      // them (so the image is this model's, never a standalone texture) and the model fail clearly.
      if (!/external images/.test((err as Error).message)) throw err;
      return glbChunks(bytes);
    }
  }
  let json: JSONDocument['json'];
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new Error(`invalid glTF JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!json || typeof json !== 'object' || !json.asset) throw new Error('not a glTF file (no "asset" object)');
  return { json, resources: {} };
}

/** A GLB's JSON chunk and BIN chunk (as the GLB_BUFFER resource), without loading anything else. */
function glbChunks(bytes: Uint8Array): JSONDocument {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength)));
  const binStart = 20 + jsonLength;
  const resources: JSONDocument['resources'] = {};
  if (bytes.byteLength >= binStart + 8) {
    const binLength = view.getUint32(binStart, true);
    resources[GLB_BUFFER] = bytes.slice(binStart + 8, binStart + 8 + binLength);
  }
  return { json, resources };
}

/** Every non-data: URI of buffers and images, resolved (and checked) against the model's folder. */
export function listExternalResources(root: string, modelRel: string, json: JSONDocument['json']): ExternalResource[] {
  const out: ExternalResource[] = [];
  const add = (uri: unknown, role: ExternalResource['role']) => {
    if (typeof uri !== 'string' || uri.startsWith('data:')) return;
    if (out.some((r) => r.uri === uri)) return;
    out.push({ uri, rel: resolveResourceUri(root, modelRel, uri), role });
  };
  for (const buffer of json.buffers ?? []) add(buffer.uri, 'buffer');
  for (const image of json.images ?? []) add(image.uri, 'image');
  return out;
}
