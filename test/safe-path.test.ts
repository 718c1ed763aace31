import fs from 'node:fs';
import path from 'node:path';
import { resolveResourceUri, UnsafePathError } from '../plugin/discovery';
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
