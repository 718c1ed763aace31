/**
 * Configs and sidecars are data: every malformed one is refused with `file: key: problem` and exit 2
 * before anything is written; prototype keys cannot pollute; nothing in them is ever executed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/project';
import { remasterProject } from '../../plugin/pipeline';
import { cli, hashTree, makeSandbox, noisePNG, removeDir, runJSON, write } from './helpers';

describe('hostile configs and sidecars', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(async () => {
    box = makeSandbox();
    write(path.join(box.project, 'wall.png'), await noisePNG(16, 16));
    write(path.join(box.project, 'big.png'), await noisePNG(600, 10));
  });
  afterEach(() => removeDir(box.base));

  const cases: [string, string, string | object, RegExp][] = [
    ['invalid JSON', 'remaster.config.json', '{ "rules": [ ', /^remaster\.config\.json: invalid JSON: /],
    ['not an object', 'remaster.config.json', '"rules"', /^remaster\.config\.json: \(root\): must be object$/],
    ['rules of the wrong type', 'remaster.config.json', { rules: { match: '*' } }, /^remaster\.config\.json: rules: must be array$/],
    ['scale as a string', 'remaster.config.json', { rules: [{ upscale: { scale: '2' } }] }, /^remaster\.config\.json: rules\.0\.upscale\.scale: must be one of 2, 4, got "2"$/],
    ['maxSize past the limit', 'remaster.config.json', { rules: [{ maxSize: 100000 }] }, /^remaster\.config\.json: rules\.0\.maxSize: must be <= 16384$/],
    ['negative quality', 'remaster.config.json', { rules: [{ quality: -5 }] }, /^remaster\.config\.json: rules\.0\.quality: must be >= 1$/],
    ['unknown root key', 'remaster.config.json', { rules: [], extra: 1 }, /^remaster\.config\.json: extra: unknown key$/],
    ['unknown rule key', 'remaster.config.json', { rules: [{ upscale: { scale: 2, modle: 'x' } }] }, /^remaster\.config\.json: rules\.0\.upscale\.modle: unknown key$/],
    ['__proto__ key', 'remaster.config.json', '{ "rules": [ { "__proto__": { "skip": true }, "upscale": { "scale": 2 } } ] }', /^remaster\.config\.json: rules\.0\.__proto__: unknown key$/],
    ['constructor key', 'remaster.config.json', '{ "rules": [], "constructor": { "prototype": { "polluted": true } } }', /^remaster\.config\.json: constructor: unknown key$/],
    ['unknown model', 'remaster.config.json', { rules: [{ upscale: { model: 'esrgan-9000' } }] }, /^remaster\.config\.json: rules\.0\.upscale\.model: unknown model "esrgan-9000"/],
    ['a model file that is not ONNX', 'remaster.config.json', { rules: [{ upscale: { model: 'fake.onnx' } }] }, /^remaster\.config\.json: rules\.0\.upscale\.model: .*fake\.onnx/],
    ['a model path that is a folder', 'remaster.config.json', { rules: [{ upscale: { model: 'models/' } }] }, /^remaster\.config\.json: rules\.0\.upscale\.model: .*not a file/],
    ['a valid model outside the project (absolute path)', 'remaster.config.json', { rules: [{ upscale: { model: path.join(FIXTURES, 'models', 'tiny-x2.onnx') } }] }, /^remaster\.config\.json: rules\.0\.upscale\.model: model file .*tiny-x2\.onnx is outside the project/],
    ['sidecar naming a model outside the project (../)', 'wall.png.remaster.json', { rules: [{ upscale: { model: '../outside/tiny-x2.onnx' } }] }, /^wall\.png\.remaster\.json: rules\.0\.upscale\.model: model file \.\.\/outside\/tiny-x2\.onnx is outside the project/],
    ['sidecar invalid JSON', 'wall.png.remaster.json', '{ rules: [] }', /^wall\.png\.remaster\.json: invalid JSON: /],
    ['sidecar wrong type', 'wall.png.remaster.json', { rules: [{ skip: 'yes' }] }, /^wall\.png\.remaster\.json: rules\.0\.skip: must be boolean$/],
    ['sidecar with match', 'wall.png.remaster.json', { rules: [{ match: '**' }] }, /^wall\.png\.remaster\.json: rules\.0\.match: not allowed in a sidecar/],
    ['sidecar __proto__', 'wall.png.remaster.json', '{ "__proto__": { "rules": [] } }', /^wall\.png\.remaster\.json: (rules: required|__proto__: unknown key)$/],
  ];

  it.each(cases)('%s: exit 2, one line naming file and key, nothing changed', (_name, file, content, message) => {
    write(path.join(box.project, 'fake.onnx'), 'PK\u0003\u0004 this is a zip, not an ONNX model');
    fs.mkdirSync(path.join(box.project, 'models'), { recursive: true });
    // A real, working model beside the project: reading it would succeed, so only confinement refuses it.
    fs.mkdirSync(path.join(box.project, '..', 'outside'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'models', 'tiny-x2.onnx'), path.join(box.project, '..', 'outside', 'tiny-x2.onnx'));
    write(path.join(box.project, file), typeof content === 'string' ? content : JSON.stringify(content));
    const before = hashTree(box.project);
    const r = cli(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // One error line (an engine note such as the device fallback may precede it).
    const errors = r.stderr.trimEnd().split('\n').filter((line) => line.startsWith('remaster: '));
    expect(errors).toHaveLength(1);
    expect(errors[0].replace(/^remaster: /, '')).toMatch(message);
    expect(hashTree(box.project)).toEqual(before);
  });

  it('the shipped not-a-model fixture is refused as a model, by file and key', () => {
    const model = path.join(FIXTURES, 'models', 'not-a-model.onnx');
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ upscale: { model } }] }));
    const r = cli(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^remaster: remaster\.config\.json: rules\.0\.upscale\.model: .+\n$/m);
  });

  it('an upscale past the output limit fails that texture only, with the sizes and the way out', async () => {
    write(path.join(box.project, 'huge.png'), await noisePNG(4200, 2));
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ upscale: { scale: 4 } }] }));
    const r = runJSON(box.project);
    expect(r.code).toBe(1);
    expect(r.report.failed).toEqual([{ path: 'huge.png', error: 'x4 of 4200x2 exceeds 16384 px; set a maxSize or a smaller scale' }]);
    expect(r.report.processed.map((a) => a.path).sort()).toEqual(['big.png', 'wall.png']);
  });

  it('library API: __proto__ / constructor in a config object cannot pollute, and are rejected', async () => {
    const config = JSON.parse('{ "rules": [ { "upscale": { "scale": 2 } } ], "__proto__": { "polluted": "yes" } }');
    await expect(remasterProject(box.project, { config, dryRun: true })).rejects.toThrow(/__proto__: unknown key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strings that look like code are only ever data: nothing runs', async () => {
    const marker = path.join(box.base, 'pwned');
    const rules = [
      { match: `$(touch ${marker})`, upscale: { scale: 2 } },
      { match: `\`touch ${marker}\``, upscale: { scale: 2 } },
      { match: '**/*', upscale: { scale: 2, model: 'lanczos' } },
    ];
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules }));
    write(path.join(box.project, `$(touch ${path.basename(marker)}).png`), await noisePNG(8, 8));
    const r = runJSON(box.project);
    expect(r.code).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(box.project, 'pwned'))).toBe(false);
    const model = cli(['run', box.project, '--config', '/dev/null']);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/^remaster: \/dev\/null: /);
  });
});
