/**
 * Which models reference a file (a .bin, an image) by URI, from the models' current content. The state
 * already says this for every model Remaster has processed; this covers the others (a model that failed
 * on a broken image, or one no rule changed), so fixing or replacing one of their files re-runs them.
 * Parsed models are cached by size, mtime and inode: only changed models are read again.
 */
import { promises as fs } from 'node:fs';
import { readRegularFile } from '../safety/regular-file';
import { toAbsolute } from '../discovery/safe-path';
import type { DiscoveredFile } from '../discovery/walk';
import { createIO, listExternalResources, parseContainer } from '../gltf/io';

interface CachedModel {
  stamp: string;
  resources: string[];
}

export class ReferenceIndex {
  private readonly cache = new Map<string, CachedModel>();
  private readonly io = createIO();

  constructor(private readonly root: string) {}

  /** Keys of the models (among `files`) whose URIs name one of `rels`. */
  async modelsReferencing(files: DiscoveredFile[], rels: Set<string>): Promise<string[]> {
    const out: string[] = [];
    for (const file of files) {
      if (file.type === 'texture') continue;
      const resources = await this.resourcesOf(file.rel, file.type);
      if (resources.some((r) => rels.has(r))) out.push(file.rel);
    }
    return out;
  }

  private async resourcesOf(rel: string, type: 'gltf' | 'glb'): Promise<string[]> {
    const file = toAbsolute(this.root, rel);
    let stamp: string;
    try {
      const s = await fs.stat(file);
      stamp = `${s.size}:${s.mtimeMs}:${s.ino}`;
    } catch {
      this.cache.delete(rel);
      return [];
    }
    const cached = this.cache.get(rel);
    if (cached?.stamp === stamp) return cached.resources;
    let resources: string[] = [];
    try {
      const bytes = await readRegularFile(file); // a FIFO named .gltf must not block the watcher
      if (!bytes) throw new Error('gone');
      const json = (await parseContainer(this.io, bytes, type)).json;
      resources = listExternalResources(this.root, rel, json).map((r) => r.rel);
    } catch {
      // A broken model references nothing here; processing it reports what is wrong.
    }
    this.cache.set(rel, { stamp, resources });
    return resources;
  }
}
