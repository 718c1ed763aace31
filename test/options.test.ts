/** Public entry points check their options up front, with one-line sharp-style errors (exit 2 as config errors). */
import { ConfigError } from '../plugin/errors';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import { watchProject } from '../plugin/watch';
import { makeProject, removeProject } from './helpers/project';

describe('entry point options', () => {
  let dir: string;
  beforeEach(() => { dir = makeProject(); });
  afterEach(() => removeProject(dir));

  it('remasterProject and restoreProject refuse bad options before touching the project', async () => {
    await expect(remasterProject(dir, { concurrency: 0 })).rejects.toThrow(new ConfigError('Expected a positive integer for remasterProject() concurrency but received 0 of type number'));
    await expect(remasterProject(dir, { device: 'gpu' as never })).rejects.toThrow('Expected one of auto, cpu, webgpu, cuda for remasterProject() device but received "gpu" of type string');
    await expect(restoreProject(dir, { paths: 'a.png' as never })).rejects.toThrow('Expected an array of paths for restoreProject() paths but received "a.png" of type string');
  });

  it('watchProject refuses them at once', () => {
    expect(() => watchProject(dir, { stabilityMs: -1 })).toThrow('Expected a number of milliseconds >= 0 for watchProject() stabilityMs but received -1 of type number');
  });
});
