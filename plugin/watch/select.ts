/**
 * Which assets a batch of changes re-runs: those whose file, or one of whose files (from the state, or
 * by URI from a model's current content), changed. A .gltf with its .bin and images is one asset; an
 * image a model uses is never re-run as a standalone texture (the pipeline's own plan decides that).
 */
import { discoverFiles } from '../discovery/walk';
import { createIO } from '../gltf/io';
import { planAssets, type PlannedAsset } from '../pipeline/plan';
import type { StateData } from '../state/store';
import type { ReferenceIndex } from './references';

/** `wanted` = 'all' re-plans every asset (startup, config change); idempotence skips the unaffected. */
export async function selectAssets(root: string, state: StateData, refs: ReferenceIndex, wanted: Set<string> | 'all'): Promise<PlannedAsset[]> {
  const files = await discoverFiles(root, []); // an unreadable folder: the run reports it
  const planned = await planAssets(root, state, createIO(), files);
  if (wanted === 'all') return planned;
  const owners = new Set(await refs.modelsReferencing(files, wanted));
  return planned.filter((a) => owners.has(a.key) || [a.key, ...(state.assets[a.key]?.files ?? [])].some((rel) => wanted.has(rel)));
}
