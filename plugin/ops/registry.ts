/**
 * The registered operations: the built-ins (plugin/ops/builtin.ts) plus any a test or an embedding
 * application registers. Config validation, rule merging, pre-flight, fingerprints and the pipeline all
 * read this list, so a registration is the only wiring an operation needs.
 */
import { BUILTIN_OPERATIONS } from './builtin';
import type { AssetOperation, Operation, TextureOperation } from './types';

/** Rule keys the pipeline itself owns; no operation may use them. */
export const CORE_RULE_KEYS: readonly string[] = ['match', 'slots', 'skip', 'kind', 'maxSize', 'format', 'quality', 'rules'];

const registered: Operation[] = [];
let generation = 0;

for (const op of BUILTIN_OPERATIONS) registerOperation(op);

/**
 * Adds an operation; returns a function that removes it again (tests). Throws on a key that is taken
 * or is a core rule key.
 *
 * @example
 * const unregister = registerOperation(grayscale);
 * afterAll(unregister);
 */
export function registerOperation(op: Operation): () => void {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(op.key)) throw new Error(`operation key "${op.key}": use camelCase letters and digits`);
  if (CORE_RULE_KEYS.includes(op.key)) throw new Error(`operation key "${op.key}" is a core rule key`);
  if (registered.some((o) => o.key === op.key)) throw new Error(`operation "${op.key}" is already registered`);
  registered.push(op);
  generation++;
  return () => {
    const i = registered.indexOf(op);
    if (i >= 0) {
      registered.splice(i, 1);
      generation++;
    }
  };
}

/** Every registered operation, in registration order. */
export function listOperations(): readonly Operation[] {
  return registered;
}

/** The lists below, made once per generation of the registry: the pipeline asks for them several times per asset. */
let lists: { generation: number; texture: readonly TextureOperation[]; asset: readonly AssetOperation[] } | undefined;

function currentLists(): NonNullable<typeof lists> {
  if (lists?.generation !== generation) {
    const texture = registered
      .filter((op): op is TextureOperation => op.shape === 'texture')
      .map((op, i) => ({ op, i }))
      .sort((a, b) => a.op.order - b.op.order || a.i - b.i)
      .map(({ op }) => op);
    lists = { generation, texture, asset: registered.filter((op): op is AssetOperation => op.shape === 'asset') };
  }
  return lists;
}

/** Per-texture operations in chain order (ascending `order`, then registration order). */
export function textureOperations(): readonly TextureOperation[] {
  return currentLists().texture;
}

/** Asset (deriving) operations in registration order. */
export function assetOperations(): readonly AssetOperation[] {
  return currentLists().asset;
}

/** Changes whenever the list changes (caches built from the list, like the compiled schema, key on it). */
export function registryGeneration(): number {
  return generation;
}
