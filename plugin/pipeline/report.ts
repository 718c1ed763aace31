/** The run report: what `remaster run --json` prints and what remasterProject() returns. */
import type { TextureKind } from '../types';
import type { Size } from './image-processor';

export interface TextureReport {
  /** Texture name, else its file URI, else `texture #<index>`; for standalone textures the file path. */
  name: string;
  /** Material slots using it (empty for standalone textures). */
  slots: string[];
  kind: TextureKind;
  before: Size;
  after: Size;
  mimeType: string;
  /** Rules that applied, in order (`remaster.config.json#0`, `hero.glb.remaster.json#1`, `default#0`). */
  rule: string[];
  /** Engine that produced the pixels (`lanczos`, `remaster-x2-fast@cpu`, `resize`, `none`). */
  engine: string;
  /** Already processed earlier in this run (same image, same actions): the result was reused. */
  reused: boolean;
  /** Key of the asset operation that made this texture/file (absent for the asset's own textures). */
  derivedBy?: string;
}

export interface ProcessedAsset {
  path: string;
  type: 'gltf' | 'glb' | 'texture';
  textures: TextureReport[];
  /** Files written or removed (project-relative). Empty in a dry run. */
  files: string[];
  warnings: string[];
}

export interface SkippedAsset {
  path: string;
  /** `unchanged` (outputs up to date), `no rule` (nothing to do), or what was wrong with a texture. */
  reason: string;
  warnings?: string[];
}

export interface FailedAsset {
  path: string;
  error: string;
}

export interface RunReport {
  processed: ProcessedAsset[];
  skipped: SkippedAsset[];
  failed: FailedAsset[];
}

/** Progress events for CLIs and watch mode. */
export type RunEvent =
  | { type: 'start'; total: number }
  /** The asset starts being processed (with `concurrency` > 1 several can be in progress). */
  | { type: 'begin'; path: string }
  | { type: 'asset'; path: string; outcome: 'processed' | 'skipped' | 'failed'; detail: string; done: number; total: number };
