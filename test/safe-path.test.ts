import fs from 'node:fs';
import path from 'node:path';
import { coveredBy, covers, resolveResourceUri, UnsafePathError } from '../plugin/discovery';
import { makeProject, removeProject } from './helpers/project';

describe('resource URIs stay inside the project', () => {
  let root: string;
  beforeAll(() => {
    root = makeProject();
    fs.mkdirSync(path.join(root, 'models'));
    fs.symlinkSync('/tmp', path.join(root, 'models', 'escape'));
  });
  afterAll(() => removeProject(root));

  it('resolves relative and percent-encoded names against the model folder', () => {
    expect(resolveResourceUri(root, 'models/hero.gltf', 'tex/a%20b.png')).toBe('models/tex/a b.png');
    expect(resolveResourceUri(root, 'models/hero.gltf', '../shared/wall.png')).toBe('shared/wall.png');
  });

  it.each([
    ['../../etc/passwd', /leaves the project directory/],
    ['%2e%2e/%2e%2e/etc/passwd', /leaves the project directory/],
    ['/etc/passwd', /absolute paths are not allowed/],
    ['file:///etc/passwd', /only relative paths are allowed/],
    ['https://example.com/a.png', /only relative paths are allowed/],
    ['..\\..\\x.png', /backslashes/],
    ['escape/x.png', /symlink leads outside/],
  ])('rejects %s', (uri, why) => {
    expect(() => resolveResourceUri(root, 'models/hero.gltf', uri)).toThrow(UnsafePathError);
    expect(() => resolveResourceUri(root, 'models/hero.gltf', uri)).toThrow(why);
  });
});

describe('paths a user names (`remaster run <dir> <paths…>`, watch startup)', () => {
  const rels = ['a', 'a/b', 'a/bc', 'a/b/c.png', 'ab/c', 'x/a/b', 'a b/c', 'models/hero.gltf', 'models/hero.bin'];
  const wantedSets = [[''], ['a'], ['a/'], ['a/b'], ['a/b/'], ['ab'], ['models/hero.gltf'], ['a/bc', 'x'], ['nothing'], []];

  it('coveredBy decides as the pairwise covers() test does, for files, folders and near-miss prefixes', () => {
    for (const wanted of wantedSets) {
      const predicate = coveredBy(wanted);
      for (const rel of rels) expect([wanted, rel, predicate(rel)]).toEqual([wanted, rel, wanted.some((w) => covers(w, rel))]);
    }
  });

  it('a folder covers what is inside it, not a sibling sharing its name as a prefix', () => {
    const inA = coveredBy(['a/b']);
    expect(['a/b', 'a/b/c.png', 'a/bc', 'a'].map(inA)).toEqual([true, true, false, false]);
  });
});
