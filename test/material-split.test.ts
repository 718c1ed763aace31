/**
 * eval-material's benchmark splits (plugin/ops/material/scenes.ts): the untouched `test2` split never
 * contains a set of the development split (`heldout`), of the validation buckets, or of the folders the
 * two-shot fit was tuned on, and no folder fills it.
 */
import path from 'node:path';
import { heldOutKey, selectSplit, TUNING_KEYS, type SceneSource } from '../plugin/ops/material/scenes';

function set(folder: string, name: string): SceneSource {
  const color = path.join('/data', folder, `${name}.tga`);
  return { name, color, norm: color.replace('.tga', '_norm.tga'), gloss: color.replace('.tga', '_gloss.tga'), ...heldOutKey(color) };
}

// 60 folders of 6 sets each, plus the tuning folders and catch-all ("textures") sets keyed by prefix.
const folders = Array.from({ length: 60 }, (_, i) => `set${i}`);
const sets: SceneSource[] = [
  ...folders.flatMap((f) => Array.from({ length: 6 }, (_, j) => set(f, `${f}_m${j}`))),
  ...TUNING_KEYS.flatMap((f) => Array.from({ length: 6 }, (_, j) => set(f, `${f}_m${j}`))),
  ...['uzi', 'hook', 'meat', 'rl', 'cake'].map((p) => set('textures', p)),
];

describe('eval-material splits', () => {
  const heldout = selectSplit(sets, 'heldout');
  const test2 = selectSplit(sets, 'test2');

  test('heldout is the training rule: sha1(key) mod 100 < 10', () => {
    expect(heldout.length).toBeGreaterThan(0);
    for (const s of sets) expect(heldout.includes(s)).toBe(s.bucket < 10);
  });

  test('test2 is disjoint from heldout, validation and the tuning folders', () => {
    expect(test2.length).toBeGreaterThan(10);
    for (const s of test2) {
      expect(s.bucket).toBeGreaterThanOrEqual(20);
      expect(TUNING_KEYS.map((k) => k.toLowerCase())).not.toContain(s.key.toLowerCase());
      expect(heldout).not.toContain(s);
    }
  });

  test('test2 takes at most 4 sets per folder, chosen by hash, independent of listing order', () => {
    const perKey = new Map<string, number>();
    for (const s of test2) perKey.set(s.key, (perKey.get(s.key) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBeLessThanOrEqual(4);
    expect(selectSplit([...sets].reverse(), 'test2').map((s) => s.color)).toEqual(test2.map((s) => s.color));
  });
});
