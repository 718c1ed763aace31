/**
 * What the scheduler keeps apart (see schedule.ts): two assets with a key in common run one after the
 * other, in plan order, so each reads what a one-at-a-time run would have left and the outcome does
 * not depend on timing.
 */
import path from 'node:path';
import { KIND_SUFFIXES } from '../config/defaults';
import { formatOfExtension } from '../image-formats';
import { textureStem } from './derive';

const ALL_SUFFIXES = [...KIND_SUFFIXES.normal, ...KIND_SUFFIXES.data];

/**
 * The keys of one file of an asset.
 * - The path without its image extension, lower case: a format change turns `wall.png` into
 *   `wall.webp`, which another asset may be using (and some file systems ignore case).
 * - For an image, its map family: a texture whose rules derive files (`vary`) reads its map siblings
 *   (`wall.png` reads `wall_n.png`, `wall_orm.png`) while they may be remastered as assets of their own;
 *   were both in flight, the sibling could be read between its new state record and its new bytes and
 *   an output taken for the original. `wall_n.png` has the families `wall_n` and `wall`.
 *
 * @example
 * sharedKeys('tex/Wall_N.png'); // ['tex/wall_n', 'family:tex/wall_n', 'family:tex/wall']
 */
export function sharedKeys(rel: string): string[] {
  const ext = path.posix.extname(rel);
  if (!formatOfExtension(ext)) return [rel.toLowerCase()];
  const own = textureStem(rel);
  const families = [own, ...ALL_SUFFIXES.filter((s) => own.endsWith(s) && own.length > s.length).map((s) => own.slice(0, -s.length))];
  return [rel.slice(0, -ext.length).toLowerCase(), ...families.map((f) => `family:${f}`)];
}
