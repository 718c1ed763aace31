/**
 * Issue 8, item 13 (inputs part): a symlinked sidecar or config is never read from outside the
 * project and its bytes are never echoed; a newline in a file name cannot split the one-line error;
 * a GLB with an external image URI fails with a clear line and its image is not processed on its own.
 */
import { Document } from '@gltf-transform/core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createIO } from '../../plugin/gltf';
import { addTriangle } from '../helpers/model';
import { BIN, hashTree, makeSandbox, noisePNG, removeDir, write } from './helpers';

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SECRET = 'root:x:0:0:SECRET-LINE-do-not-echo';

describe('symlinked config and sidecars', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(async () => {
    box = makeSandbox();
    write(path.join(box.project, 'wall.png'), await noisePNG(8, 8));
    write(path.join(box.outside, 'passwd'), `${SECRET}\n`);
    write(path.join(box.outside, 'rules.json'), JSON.stringify({ rules: [{ upscale: { scale: 4, model: 'lanczos' } }] }));
  });
  afterEach(() => removeDir(box.base));

  it.each([
    ['project config', 'remaster.config.json', 'passwd'],
    ['project config (valid JSON outside)', 'remaster.config.json', 'rules.json'],
    ['sidecar', 'wall.png.remaster.json', 'passwd'],
    ['sidecar (valid JSON outside)', 'wall.png.remaster.json', 'rules.json'],
  ])('a %s that is a symlink out of the project is refused, naming it, echoing nothing', (_what, name, target) => {
    fs.symlinkSync(path.join(box.outside, target), path.join(box.project, name));
    const before = hashTree(box.project);
    const r = run(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^remaster: ${name.replace(/\./g, '\\.')}: .*outside the project`));
    expect(r.stdout + r.stderr).not.toContain('SECRET');
    expect(r.stdout + r.stderr).not.toContain('root:x');
    expect(hashTree(box.project)).toEqual(before);
  });

  it('invalid JSON in the project config is reported without echoing its bytes', () => {
    write(path.join(box.project, 'remaster.config.json'), `${SECRET}\n`);
    const r = run(['run', box.project]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^remaster: remaster\.config\.json: invalid JSON: /);
    expect(r.stderr).not.toContain('root:x');
  });
});

describe('a newline in a file name', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => (box = makeSandbox()));
  afterEach(() => removeDir(box.base));

  it('cannot split the failure line (text report)', () => {
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }] }));
    write(path.join(box.project, 'bad\nname.png'), 'not an image at all');
    const r = run(['run', box.project]);
    expect(r.code).toBe(1);
    const failures = r.stdout.split('\n').filter((l) => l.startsWith('failed:'));
    expect(failures).toEqual([expect.stringMatching(/^failed: bad\\nname\.png: cannot read image/)]);
    expect(r.stdout).not.toMatch(/^name\.png/m);
  });

  it('inside an error message about a model resource', async () => {
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }] }));
    const doc = new Document();
    doc.createBuffer();
    const tex = doc.createTexture('t').setMimeType('image/png').setImage(new Uint8Array(await noisePNG(8, 8))).setURI('a%0Ab.png');
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(tex));
    write(path.join(box.project, 'm.glb'), await createIO().writeBinary(doc)); // image embedded: fine
    write(path.join(box.project, 'x.gltf'), JSON.stringify({
      asset: { version: '2.0' }, images: [{ uri: 'miss%0Aing.png' }], textures: [{ source: 0 }],
      materials: [{ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } }],
    }));
    const r = run(['run', box.project]);
    const failures = r.stdout.split('\n').filter((l) => l.startsWith('failed:'));
    expect(failures).toEqual([expect.stringMatching(/^failed: x\.gltf: miss\\ning\.png .*is missing$/)]);
  });
});

describe('a GLB with an external image URI', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => (box = makeSandbox()));
  afterEach(() => removeDir(box.base));

  it('fails with a clear line, and its image is not processed on its own', async () => {
    write(path.join(box.project, 'remaster.config.json'), JSON.stringify({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }] }));
    const png = await noisePNG(8, 8);
    write(path.join(box.project, 'tex.png'), png);
    const doc = new Document();
    doc.createBuffer();
    const tex = doc.createTexture('t').setMimeType('image/png').setImage(new Uint8Array(png));
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(tex));
    const glb = await createIO().writeBinary(doc);
    // Re-point the embedded image at tex.png (a GLB may reference external files by URI).
    const jsonLength = Buffer.from(glb).readUInt32LE(12);
    const json = JSON.parse(Buffer.from(glb.subarray(20, 20 + jsonLength)).toString('utf8'));
    delete json.images[0].bufferView;
    json.images[0].uri = 'tex.png';
    let text = JSON.stringify(json);
    while (text.length % 4) text += ' ';
    const bin = glb.subarray(20 + jsonLength);
    const out = Buffer.alloc(20 + text.length + bin.length);
    out.write('glTF', 0);
    out.writeUInt32LE(2, 4);
    out.writeUInt32LE(out.length, 8);
    out.writeUInt32LE(text.length, 12);
    out.writeUInt32LE(0x4e4f534a, 16);
    out.write(text, 20);
    Buffer.from(bin).copy(out, 20 + text.length);
    write(path.join(box.project, 'model.glb'), out);
    const before = hashTree(box.project);

    const r = run(['run', box.project, '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.failed).toEqual([{ path: 'model.glb', error: expect.stringMatching(/tex\.png.*(external|embed)/) }]);
    expect(report.processed).toEqual([]);
    expect(report.skipped.map((a: { path: string }) => a.path)).not.toContain('tex.png');
    expect(hashTree(box.project)).toEqual(before);
  });
});
