/**
 * Geometry codecs for KHR_draco_mesh_compression and EXT_meshopt_compression (the packages glTF
 * Transform's docs name: draco3dgltf, meshoptimizer). Each is a WASM module whose start-up costs tens
 * of milliseconds, so it is loaded only when a model uses its extension, once per process, and shared.
 * Decoders are needed to read such a model, encoders to write it back with the same compression.
 */
import { KHRDracoMeshCompression, EXTMeshoptCompression } from '@gltf-transform/extensions';

export type CodecKey = 'draco3d.decoder' | 'draco3d.encoder' | 'meshopt.decoder' | 'meshopt.encoder';

const DRACO = KHRDracoMeshCompression.EXTENSION_NAME;
const MESHOPT = EXTMeshoptCompression.EXTENSION_NAME;

/** Which codec each extension needs, to read and to write. */
const NEEDS: Record<string, { read: CodecKey; write: CodecKey }> = {
  [DRACO]: { read: 'draco3d.decoder', write: 'draco3d.encoder' },
  [MESHOPT]: { read: 'meshopt.decoder', write: 'meshopt.encoder' },
};

const loaders: Record<CodecKey, () => Promise<unknown>> = {
  // require() rather than import(): the code runs as CommonJS, and jest cannot load dynamic import()s.
  // draco3dgltf's factories return an Emscripten module that is ready once the promise settles.
  'draco3d.decoder': () => (require('draco3dgltf') as Draco3d).createDecoderModule(),
  'draco3d.encoder': () => (require('draco3dgltf') as Draco3d).createEncoderModule(),
  'meshopt.decoder': async () => ready((require('meshoptimizer') as typeof import('meshoptimizer')).MeshoptDecoder),
  'meshopt.encoder': async () => ready((require('meshoptimizer') as typeof import('meshoptimizer')).MeshoptEncoder),
};

interface Draco3d {
  createDecoderModule(options?: object): Promise<unknown>;
  createEncoderModule(options?: object): Promise<unknown>;
}

async function ready<T extends { ready: Promise<void>; supported: boolean }>(codec: T): Promise<T> {
  await codec.ready;
  if (!codec.supported) throw new Error('meshoptimizer: WebAssembly is not supported here');
  return codec;
}

const cache = new Map<CodecKey, Promise<unknown>>();

/** The codec, started on first use; a failed start is not cached, so a later model may retry. */
export function loadCodec(key: CodecKey): Promise<unknown> {
  let pending = cache.get(key);
  if (!pending) {
    pending = loaders[key]().catch((err: unknown) => {
      cache.delete(key);
      throw new Error(`cannot load the ${key} codec: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    cache.set(key, pending);
  }
  return pending;
}

/** Codecs (ready to register) that reading or writing a model with these extensions needs. */
export async function codecsFor(extensionNames: Iterable<string>, mode: 'read' | 'write'): Promise<Partial<Record<CodecKey, unknown>>> {
  const keys = [...new Set([...extensionNames].filter((name) => name in NEEDS).map((name) => NEEDS[name][mode]))];
  const codecs = await Promise.all(keys.map(loadCodec));
  return Object.fromEntries(keys.map((key, i) => [key, codecs[i]]));
}
