import fs from 'node:fs';
import path from 'node:path';
import {
  ConfigError, DEFAULT_CONFIG, inferKindFromName, loadProjectConfig, loadSidecarRules, resolveActions, validateConfig, type SourcedRule,
} from '../plugin/config';
import { makeProject, removeProject, writeJSON } from './helpers/project';

const MINIMAL = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };

function sourced(rules: object[], label = 'remaster.config.json'): SourcedRule[] {
  return validateConfig({ rules }, label).rules.map((rule, i) => ({ rule, source: `${label}#${i}` }));
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config validation', () => {
  it('accepts the minimal config and resolves it to x2 lanczos for any file', () => {
    const rules = sourced(MINIMAL.rules);
    // Every registered operation has a key (null = off); only upscale is on here.
    const resolved = resolveActions(rules, { path: 'deep/dir/wall.png' });
    expect(resolved).toMatchObject({
      upscale: { scale: 2, model: 'lanczos', seamless: false }, maxSize: null, format: 'keep', quality: null, kind: null, rules: ['remaster.config.json#0'],
    });
    expect(Object.entries(resolved!).filter(([k, v]) => v !== null && !['upscale', 'format', 'rules'].includes(k))).toEqual([]);
    expect(resolveActions(rules, { path: 'hero.glb', slots: ['normal'] })?.upscale?.scale).toBe(2);
  });

  it('reports an unknown key as file: path.to.key: problem', () => {
    expect(message(() => validateConfig({ rules: [{ match: '*', upscal: { scale: 2 } }] }, 'remaster.config.json')))
      .toBe('remaster.config.json: rules.0.upscal: unknown key');
    expect(message(() => validateConfig({ rules: [{ upscale: { scale: 2, modle: 'x' } }] }, 'a.json')))
      .toBe('a.json: rules.0.upscale.modle: unknown key');
  });

  it('reports a bad value with the allowed ones', () => {
    expect(message(() => validateConfig({ rules: [{ match: '*', upscale: { scale: 3 } }] }, 'c.json')))
      .toBe('c.json: rules.0.upscale.scale: must be one of 2, 4, got 3');
    expect(message(() => validateConfig({ rules: [{ format: 'gif' }] }, 'c.json')))
      .toBe('c.json: rules.0.format: must be one of "keep", "png", "webp", "jpeg", got "gif"');
    expect(message(() => validateConfig({ rules: [{ maxSize: 0 }] }, 'c.json'))).toMatch(/^c\.json: rules\.0\.maxSize: /);
    expect(message(() => validateConfig({}, 'c.json'))).toBe('c.json: rules: required');
  });

  it('reports invalid JSON and a missing --config file with the file name', async () => {
    const dir = makeProject();
    try {
      fs.writeFileSync(path.join(dir, 'remaster.config.json'), '{ "rules": [ }');
      await expect(loadProjectConfig(dir)).rejects.toThrow(/^remaster\.config\.json: invalid JSON: /);
      await expect(loadProjectConfig(dir, path.join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: cannot read config file/);
    } finally {
      removeProject(dir);
    }
  });

  it('uses the built-in default when the project has no config', async () => {
    const dir = makeProject();
    try {
      const config = await loadProjectConfig(dir);
      expect(config.source).toBe('(built-in default)');
      expect(config.rules.map((r) => r.rule)).toEqual(DEFAULT_CONFIG.rules);
    } finally {
      removeProject(dir);
    }
  });

  it('forbids match in a sidecar', async () => {
    const dir = makeProject();
    try {
      writeJSON(path.join(dir, 'models/hero.glb.remaster.json'), { rules: [{ match: '*', skip: true }] });
      await expect(loadSidecarRules(dir, 'models/hero.glb')).rejects.toThrow(
        'models/hero.glb.remaster.json: rules.0.match: not allowed in a sidecar (its rules apply to its asset)',
      );
    } finally {
      removeProject(dir);
    }
  });
});

describe('rule semantics', () => {
  const project = sourced([
    { match: '**/*', upscale: { scale: 2, model: 'lanczos' }, maxSize: 4096 },
    { match: 'ui/**', upscale: false },
    { match: '**/*.glb', slots: ['normal', 'clearcoatNormal'], upscale: { scale: 4 } },
    { match: '*_n.png', kind: 'normal', format: 'webp' },
    { match: 'legacy/**', skip: true },
  ]);

  it('applies every matching rule in order, later keys overriding earlier ones', () => {
    const normal = resolveActions(project, { path: 'models/hero.glb', slots: ['normal'] })!;
    expect(normal.upscale).toEqual({ scale: 4, model: 'lanczos', seamless: false }); // scale overridden, model kept
    expect(normal.maxSize).toBe(4096);
    expect(normal.rules).toEqual(['remaster.config.json#0', 'remaster.config.json#2']);
    expect(resolveActions(project, { path: 'models/hero.glb', slots: ['baseColor'] })!.upscale?.scale).toBe(2);
  });

  it('matches slot rules only for glTF textures in those slots', () => {
    expect(resolveActions(project, { path: 'x.glb' })!.upscale?.scale).toBe(2); // standalone: no slots
  });

  it('matches a pattern without "/" on the file name in any folder', () => {
    const a = resolveActions(project, { path: 'walls/brick_n.png' })!;
    expect(a.kind).toBe('normal');
    expect(a.format).toBe('webp');
  });

  it('upscale: false cancels an earlier upscale; only a cap remains', () => {
    const a = resolveActions(project, { path: 'ui/button.png' })!;
    expect(a.upscale).toBeNull();
    expect(a.maxSize).toBe(4096);
  });

  it('skip: true leaves the asset alone; a later skip: false brings it back', () => {
    expect(resolveActions(project, { path: 'legacy/old.png' })).toBeNull();
    const withSidecar = [...project, ...sourced([{ skip: false }], 'old.png.remaster.json')];
    expect(resolveActions(withSidecar, { path: 'legacy/old.png' })?.upscale?.scale).toBe(2);
  });

  it('sidecar rules come last and override the project rules for that asset', () => {
    const sidecar = sourced([{ upscale: { scale: 4, model: 'lanczos' }, format: 'png' }, { slots: ['baseColor'], upscale: false }], 'hero.glb.remaster.json');
    const rules = [...project, ...sidecar];
    const normal = resolveActions(rules, { path: 'models/hero.glb', slots: ['normal'] })!;
    expect(normal.upscale?.scale).toBe(4);
    expect(normal.format).toBe('png');
    expect(normal.rules.at(-1)).toBe('hero.glb.remaster.json#0');
    expect(resolveActions(rules, { path: 'models/hero.glb', slots: ['baseColor'] })!.upscale).toBeNull();
  });

  it('leaves an asset no rule matches alone', () => {
    expect(resolveActions(sourced([{ match: 'textures/**', upscale: { scale: 2 } }]), { path: 'models/a.glb', slots: ['baseColor'] })).toBeNull();
  });

  it('infers standalone texture kinds from common suffixes', () => {
    expect(inferKindFromName('t/brick_n.png')).toBe('normal');
    expect(inferKindFromName('t/Brick_Normal.PNG')).toBe('normal');
    expect(inferKindFromName('t/brick_nrm.jpg')).toBe('normal');
    expect(inferKindFromName('t/brick_roughness.png')).toBe('data');
    expect(inferKindFromName('t/brick_orm.png')).toBe('data');
    expect(inferKindFromName('t/brick.png')).toBe('color');
    expect(inferKindFromName('t/banner.png')).toBe('color'); // ends in "n" but not "_n"
  });
});
