/**
 * The map siblings of a standalone texture, by the kind suffixes already used for standalone kinds
 * (KIND_SUFFIXES in config/defaults: `wall.png`, `wall_n.png`, `wall_orm.png` are one set). A file
 * whose own name ends in a kind suffix is a map, never a set's lead.
 */

import fs from 'node:fs';
import path from 'node:path';
import { KIND_SUFFIXES } from '../../config/defaults';
import type { TextureKind } from '../../types';

const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

export interface SiblingMap {
  /** Slot named by the suffix without its separator (`n`, `orm`, `normal`, ...). */
  slot: string;
  kind: TextureKind;
  file: string;
}

/** Kind suffix a stem ends with (longest first), if any. */
export function mapSuffix(stem: string): { suffix: string; kind: TextureKind } | undefined {
  const lower = stem.toLowerCase();
  let found: { suffix: string; kind: TextureKind } | undefined;
  for (const kind of ['normal', 'data'] as const) {
    for (const suffix of KIND_SUFFIXES[kind]) {
      if (lower.endsWith(suffix) && lower.length > suffix.length && (!found || suffix.length > found.suffix.length)) found = { suffix, kind };
    }
  }
  return found;
}

/** Whether a file name is a variant this tool wrote (`<stem>-v<k>.<ext>`). */
export function isVariantName(file: string): boolean {
  return /-v\d+([_-][^.]*)?$/i.test(path.basename(file).replace(IMAGE_EXT, ''));
}

/** Map files beside `lead` whose stem is the lead's stem + a kind suffix (any image extension). */
export function findSiblings(lead: string): SiblingMap[] {
  const dir = path.dirname(lead);
  const stem = path.basename(lead).replace(IMAGE_EXT, '');
  const out: SiblingMap[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!IMAGE_EXT.test(name)) continue;
    const other = name.replace(IMAGE_EXT, '');
    if (other.length <= stem.length || other.slice(0, stem.length).toLowerCase() !== stem.toLowerCase()) continue;
    const m = mapSuffix(other);
    if (m && other.length === stem.length + m.suffix.length) out.push({ slot: m.suffix.replace(/^[_-]/, ''), kind: m.kind, file: path.join(dir, name) });
  }
  return out;
}
