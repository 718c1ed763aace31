/**
 * Every asset of the project, planned as `remaster run` plans them (the watcher's startup pass and a
 * config change). A change batch plans only its own assets, from the file → asset index (asset-index.ts).
 */
import { discoverFiles } from '../discovery/walk';
import { createIO } from '../gltf/io';
import { planAssets, type PlannedAsset } from '../pipeline/plan';
import type { StateData } from '../state/store';

export async function selectAllAssets(root: string, state: StateData): Promise<PlannedAsset[]> {
  return planAssets(root, state, createIO(), await discoverFiles(root, [])); // an unreadable folder: the run reports it
}
