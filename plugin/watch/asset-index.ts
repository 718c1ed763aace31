/**
 * Watch mode's file → asset index: which assets a changed file belongs to, kept up to date batch by
 * batch, so a change re-plans only its assets instead of walking the project and parsing every model
 * (which made watch latency grow with project size).
 *
 * What it knows, and from where:
 * - the project's asset files (models, images) as discovery lists them, by folder (built by one walk at
 *   startup, then updated from the watcher's events: added, changed, removed, renamed = removed + added);
 * - every model's external resources (.bin, images) from its current JSON, parsed again only when the
 *   model itself changes;
 * - the files each asset's state record lists (converted and derived outputs, resources a model had),
 *   re-read for the assets each job ran, or all of them when the state was re-loaded;
 * - map siblings by name (`wall_n.png` belongs to `wall.png`'s asset: the asset operations read it).
 *
 * The plan it makes for the owners is the one planAssets() (pipeline/plan.ts) makes for them over the
 * whole project; test/watch-index.test.ts checks the two agree.
 *
 *   const index = new AssetIndex(root);
 *   await index.build();
 *   await index.update(['set1/t5.png']);            // the batch's paths, before planning
 *   const { assets, context } = await index.plan(state, ['set1/t5.png']);
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SIDECAR_SUFFIX } from '../config/defaults';
import { isSidecar } from '../config/load';
import { assetTypeOf, discoverFiles, type AssetType } from '../discovery/walk';
import { isSkippedFolder } from '../discovery/walk-files';
import { createIO, listExternalResources, parseContainer, type ExternalResource } from '../gltf/io';
import { formatOfExtension } from '../image-formats';
import { siblingSuffix, textureStem } from '../pipeline/derive';
import { inspectFile } from '../pipeline/file-source';
import { recordedBuffers, type PlannedAsset } from '../pipeline/plan';
import { readRegularFile } from '../safety/regular-file';
import { toAbsolute } from '../safety/project-paths';
import type { StateData } from '../state/store';

interface ModelEntry {
  /** size:mtime:ino of the model file its resources were read from. */
  stamp: string;
  resources: Pick<ExternalResource, 'rel' | 'role'>[];
}

/** The assets a batch re-plans (`assets`), and the models sharing files with them (`context`, for the shared-texture check only). */
export interface IndexPlan {
  assets: PlannedAsset[];
  context: PlannedAsset[];
}

export class AssetIndex {
  /** Asset files (models and images) discovery would list → type. */
  private readonly files = new Map<string, AssetType>();
  /** Folder ('' = root) → names of its asset files: map siblings are found here. */
  private readonly folders = new Map<string, Set<string>>();
  private readonly models = new Map<string, ModelEntry>();
  /** Resource file → models whose JSON names it (buffers and images). */
  private readonly users = new Map<string, Set<string>>();
  /** State: file → keys of the assets whose record lists it; for `synced`, the state object last read. */
  private readonly recorded = new Map<string, Set<string>>();
  private readonly recordedFiles = new Map<string, string[]>();
  private synced: StateData | null = null;
  /** The state build() vouches unchanged models by, while it runs. */
  private gate: StateData | null = null;
  private readonly io = createIO();
  /** Models parsed since the index was made (what re-planning costs; tests assert on it). */
  modelsParsed = 0;

  constructor(private readonly root: string) {}

  /**
   * (Re)builds from a walk of the whole project (startup, config change). Every model is parsed, except,
   * given the `state`, those unchanged since Remaster wrote them: their buffers come from their state
   * record as in planAssets() (the change gate; their images are in the record's files, which plan()
   * reads from the state too). At 100,000 assets the parse was a third of watch's startup.
   */
  async build(state?: StateData): Promise<void> {
    this.files.clear();
    this.folders.clear();
    this.models.clear();
    this.users.clear();
    this.gate = state ?? null;
    try {
      for (const file of await discoverFiles(this.root, [])) await this.add(file.rel, file.type); // unreadable folders: the run reports them
    } finally {
      this.gate = null;
    }
  }

  /** Brings the index up to date with the current content of these project-relative paths (files or folders, present or gone). */
  async update(rels: Iterable<string>): Promise<void> {
    for (const rel of rels) await this.refresh(rel);
  }

  /** Whether `rel` is an asset file the index knows. */
  has(rel: string): boolean {
    return this.files.has(rel);
  }

  /** Models whose current JSON names `rel`. */
  modelsUsing(rel: string): string[] {
    return [...(this.users.get(rel) ?? [])];
  }

  /**
   * The state's file → asset records, for this state object: all of them when it is not the one last
   * read (loaded afresh), else only those of `keys` (the assets a job just ran).
   */
  syncState(state: StateData, keys?: Iterable<string>): void {
    if (state !== this.synced || !keys) {
      this.recorded.clear();
      this.recordedFiles.clear();
      this.synced = state;
      keys = Object.keys(state.assets);
    }
    for (const key of keys) {
      for (const rel of this.recordedFiles.get(key) ?? []) this.recorded.get(rel)?.delete(key);
      const files = state.assets[key]?.files ?? [];
      this.recordedFiles.set(key, files);
      for (const rel of files) {
        if (!this.recorded.has(rel)) this.recorded.set(rel, new Set());
        this.recorded.get(rel)!.add(key);
      }
    }
  }

  /**
   * Plans the assets owning any of `changed` (project-relative paths of changed, added or removed files
   * and sidecars; call update() with them first): the file's own asset, the models naming it, the assets
   * whose state record lists it, the texture it is a map sibling of, a sidecar's asset.
   */
  async plan(state: StateData, changed: Iterable<string>): Promise<IndexPlan> {
    this.syncState(state, []);
    const candidates = new Set<string>();
    for (const rel of changed) this.ownersOf(state, rel, candidates);
    const assets = await this.planFiles(state, candidates);
    // Every model sharing a file with a planned model: the shared-texture check needs all of them.
    const related = new Set<string>();
    for (const asset of assets) {
      if (asset.type === 'texture') continue;
      for (const rel of asset.files) for (const model of this.modelOwners(state, rel)) related.add(model);
    }
    for (const asset of assets) related.delete(asset.key);
    return { assets, context: await this.planFiles(state, related) };
  }

  /** Adds to `out` the asset files and keys whose plan `rel` changing can change. */
  private ownersOf(state: StateData, rel: string, out: Set<string>): void {
    if (isSidecar(rel)) {
      const asset = rel.slice(0, -SIDECAR_SUFFIX.length);
      if (this.files.has(asset)) out.add(asset);
      return;
    }
    const add = (file: string) => {
      if (!this.files.has(file) || out.has(file)) return;
      out.add(file);
      // A model's image is planned as part of the model, never on its own.
      for (const model of this.modelOwners(state, file)) out.add(model);
    };
    add(rel);
    for (const model of this.users.get(rel) ?? []) add(model);
    for (const key of this.recorded.get(rel) ?? []) {
      add(key);
      for (const file of state.assets[key]?.files ?? []) add(file);
    }
    for (const texture of this.siblingOwners(rel)) add(texture);
  }

  /** Models that name `rel` now, or whose state record lists it (as planAssets, whether or not the model file is still there). */
  private modelOwners(state: StateData, rel: string): string[] {
    const out = new Set(this.users.get(rel) ?? []);
    for (const key of this.recorded.get(rel) ?? []) if (state.assets[key] && state.assets[key].type !== 'texture') out.add(key);
    return [...out];
  }

  /** Textures of the same folder that `rel` is a map sibling of (`wall_n.png` → `wall.png`, `wall.jpg`). */
  private siblingOwners(rel: string): string[] {
    if (!formatOfExtension(path.posix.extname(rel))) return [];
    const dir = dirOf(rel);
    const out: string[] = [];
    // The pipeline's own sibling rule (derive.ts), asked of every texture in the folder.
    for (const name of this.folders.get(dir) ?? []) {
      const texture = dir ? `${dir}/${name}` : name;
      if (texture !== rel && formatOfExtension(path.posix.extname(name)) && siblingSuffix(textureStem(texture), rel)) out.push(texture);
    }
    return out;
  }

  /** What planAssets() plans for these files (asset files of the index; others are left out). */
  private async planFiles(state: StateData, rels: Iterable<string>): Promise<PlannedAsset[]> {
    const planned = new Map<string, PlannedAsset>();
    for (const rel of [...rels].sort()) {
      const type = this.files.get(rel);
      if (!type) continue;
      if (type !== 'texture') {
        const resources = this.models.get(rel)?.resources ?? [];
        const asset: PlannedAsset = { key: rel, type, files: resources.map((r) => r.rel) };
        const shared = resources.find((r) => r.role === 'buffer' && this.bufferUsers(r.rel).length > 1);
        if (shared) asset.blocked = `${shared.rel} is also the buffer of ${this.bufferUsers(shared.rel).filter((u) => u !== rel).join(', ')}; models sharing a .bin are left unchanged`;
        planned.set(rel, asset);
        continue;
      }
      if (this.modelOwners(state, rel).length > 0) continue;
      // A file Remaster created from a texture (wall.png → wall.webp) and left as it made it: that texture's asset.
      const owner = state.files[rel]?.original === null ? [...(this.recorded.get(rel) ?? [])].find((key) => state.assets[key]?.type === 'texture') : undefined;
      if (owner && (await inspectFile(this.root, state, rel)).derived) {
        planned.set(owner, { key: owner, type: 'texture', files: [] });
        continue;
      }
      planned.set(rel, { key: rel, type: 'texture', files: [] });
    }
    const assets = [...planned.values()];
    for (const asset of assets) asset.files = [...new Set([asset.key, ...asset.files, ...(state.assets[asset.key]?.files ?? [])])];
    return assets;
  }

  private bufferUsers(rel: string): string[] {
    return [...(this.users.get(rel) ?? [])].filter((model) => this.models.get(model)?.resources.some((r) => r.rel === rel && r.role === 'buffer'));
  }

  /** Re-reads one path: an asset file now (added or changed), or gone (a file, or a folder with all it held). */
  private async refresh(rel: string): Promise<void> {
    const type = assetTypeOf(rel);
    const listed = type !== null && !dirOf(rel).split('/').some((part) => part && isSkippedFolder(part));
    const st = await fs.lstat(toAbsolute(this.root, rel)).catch(() => null);
    if (listed && st?.isFile()) return this.add(rel, type);
    this.remove(rel);
    if (!st?.isDirectory()) {
      // A folder gone (or replaced by a link): everything under it.
      for (const dir of [...this.folders.keys()]) {
        if (dir === rel || dir.startsWith(`${rel}/`)) for (const name of [...this.folders.get(dir)!]) this.remove(`${dir}/${name}`);
      }
    }
  }

  private async add(rel: string, type: AssetType): Promise<void> {
    this.files.set(rel, type);
    const dir = dirOf(rel);
    if (!this.folders.has(dir)) this.folders.set(dir, new Set());
    this.folders.get(dir)!.add(path.posix.basename(rel));
    if (type !== 'texture') await this.parseModel(rel, type);
  }

  private remove(rel: string): void {
    if (!this.files.delete(rel)) return;
    const dir = dirOf(rel);
    const names = this.folders.get(dir);
    names?.delete(path.posix.basename(rel));
    if (names?.size === 0) this.folders.delete(dir);
    this.setResources(rel, null);
  }

  /** The model's resources from its current JSON; re-parsed only when its size, mtime or inode moved. */
  private async parseModel(rel: string, type: 'gltf' | 'glb'): Promise<void> {
    const file = toAbsolute(this.root, rel);
    const st = await fs.stat(file).catch(() => null);
    const stamp = st ? `${st.size}:${st.mtimeMs}:${st.ino}` : '';
    if (st && this.models.get(rel)?.stamp === stamp) return;
    const known = st && this.gate ? recordedBuffers(this.root, this.gate, rel) : null;
    if (known) return this.setResources(rel, { stamp, resources: known.map((bin) => ({ rel: bin, role: 'buffer' as const })) });
    let resources: ModelEntry['resources'] = [];
    try {
      this.modelsParsed++;
      const bytes = await readRegularFile(file); // a FIFO named .gltf must not block the watcher
      if (bytes) resources = listExternalResources(this.root, rel, (await parseContainer(this.io, bytes, type)).json).map(({ rel: r, role }) => ({ rel: r, role }));
    } catch {
      // A broken model names nothing here; processing it reports what is wrong (as planAssets does).
    }
    this.setResources(rel, { stamp, resources });
  }

  private setResources(model: string, entry: ModelEntry | null): void {
    for (const r of this.models.get(model)?.resources ?? []) {
      const users = this.users.get(r.rel);
      users?.delete(model);
      if (users?.size === 0) this.users.delete(r.rel);
    }
    if (!entry) {
      this.models.delete(model);
      return;
    }
    this.models.set(model, entry);
    for (const r of entry.resources) {
      if (!this.users.has(r.rel)) this.users.set(r.rel, new Set());
      this.users.get(r.rel)!.add(model);
    }
  }
}

function dirOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

