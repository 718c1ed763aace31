import { Document } from '@gltf-transform/core';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createEngine } from '../plugin/engine';
import { remasterProject, restoreProject } from '../plugin/pipeline';
import { remaster } from '../plugin/pipeline/transform';
import type { RawImage } from '../plugin/types';
import { addTriangle, readModel, writeModel } from './helpers/model';
import { countingEngine } from './helpers/counting-engine';
import {
  bumpyNormals, decode, encodePNG, FIXTURES, gradientRGBA, imageSize, makeProject, normalLengthStats, removeProject, snapshot, writeJSON,
} from './helpers/project';

const X2 = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };
const X4 = { rules: [{ match: '**/*', upscale: { scale: 4, model: 'lanczos' } }] };

/** Normals alternating per texel between two steep directions: resampling them shortens the vectors a lot. */
function checkerNormals(w: number, h: number): RawImage {
  const data = new Uint8Array(w * h * 3);
  const s = Math.sin(Math.PI / 3);
  const c = Math.cos(Math.PI / 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const sign = (x + y) % 2 ? 1 : -1;
    data.set([sign * s, 0, c].map((v) => Math.round((v * 0.5 + 0.5) * 255)), (y * w + x) * 3);
  }
  return { data, width: w, height: h, channels: 3 };
}

/** A .gltf with external PNGs: an RGBA base colour (alpha ramp) and a steep normal map. */
async function writeSyntheticModel(file: string): Promise<void> {
  const doc = new Document();
  doc.createBuffer();
  const color = doc.createTexture('color').setImage(await encodePNG(gradientRGBA(32, 32))).setMimeType('image/png').setURI('color.png');
  const normal = doc.createTexture('normal').setImage(await encodePNG(checkerNormals(32, 32))).setMimeType('image/png').setURI('normal.png');
  const material = doc.createMaterial('m').setBaseColorTexture(color).setNormalTexture(normal).setAlphaMode('BLEND');
  addTriangle(doc, material);
  await writeModel(doc, file);
}

describe('remasterProject', () => {
  let dir: string;
  afterEach(() => removeProject(dir));

  it('renormalises normal maps (glTF slot and *_n.png), keeps alpha with the colour', async () => {
    dir = makeProject();
    await writeSyntheticModel(path.join(dir, 'models/synthetic.gltf'));
    fs.writeFileSync(path.join(dir, 'wall_n.png'), await encodePNG(checkerNormals(32, 32)));
    writeJSON(path.join(dir, 'remaster.config.json'), X2);

    const report = await remasterProject(dir);
    expect(report.failed).toEqual([]);
    const model = report.processed.find((p) => p.path === 'models/synthetic.gltf')!;
    expect(model.textures.map((t) => [t.name, t.slots, t.kind, t.after])).toEqual([
      ['color', ['baseColor'], 'color', { width: 64, height: 64 }],
      ['normal', ['normal'], 'normal', { width: 64, height: 64 }],
    ]);
    expect(report.processed.find((p) => p.path === 'wall_n.png')!.textures[0].kind).toBe('normal');

    for (const file of ['models/normal.png', 'wall_n.png']) {
      const out = await decode(path.join(dir, file));
      expect([out.width, out.height]).toEqual([64, 64]);
      // Averaging two ±60° normals gives length 0.5; renormalised vectors are unit up to 8-bit rounding.
      expect(normalLengthStats(out).max).toBeLessThan(0.02);
    }

    const color = await decode(path.join(dir, 'models/color.png'));
    expect(color.channels).toBe(4);
    const alphaAt = (x: number) => color.data[(32 * 64 + x) * 4 + 3];
    expect(alphaAt(0)).toBeLessThan(8);
    expect(alphaAt(63)).toBeGreaterThan(247);
    expect(Math.abs(alphaAt(32) - 130)).toBeLessThan(12); // the ramp is resampled, not flattened
  });

  it('processes an image shared by several materials and several models once', async () => {
    dir = makeProject();
    const logo = fs.readFileSync(path.join(FIXTURES, 'gltf/BoxTextured/CesiumLogoFlat.png'));
    for (const name of ['a', 'b']) {
      const doc = new Document();
      doc.createBuffer();
      const t1 = doc.createTexture('one').setImage(logo).setMimeType('image/png').setURI('../shared/logo.png');
      addTriangle(doc, doc.createMaterial('m1').setBaseColorTexture(t1));
      addTriangle(doc, doc.createMaterial('m2').setBaseColorTexture(t1).setEmissiveTexture(t1));
      await writeModel(doc, path.join(dir, `models/${name}.gltf`));
    }
    // The writer put the PNG at models/../shared/logo.png = shared/logo.png.
    expect(fs.existsSync(path.join(dir, 'shared/logo.png'))).toBe(true);
    // Inside a GLB: two textures whose images are the same bytes.
    const glb = new Document();
    glb.createBuffer();
    addTriangle(glb, glb.createMaterial('x').setBaseColorTexture(glb.createTexture('x').setImage(logo).setMimeType('image/png')));
    addTriangle(glb, glb.createMaterial('y').setBaseColorTexture(glb.createTexture('y').setImage(logo).setMimeType('image/png')));
    await writeModel(glb, path.join(dir, 'models/c.glb'));
    writeJSON(path.join(dir, 'remaster.config.json'), X2);

    const engine = countingEngine();
    const report = await remasterProject(dir, { engine });
    await engine.close();
    expect(report.failed).toEqual([]);
    expect(engine.calls).toBe(1);
    expect(report.processed.map((p) => p.path).sort()).toEqual(['models/a.gltf', 'models/b.gltf', 'models/c.glb']); // not shared/logo.png
    expect(report.processed.flatMap((p) => p.textures.map((t) => t.reused))).toEqual([false, true, true, true]);
    expect(await imageSize(path.join(dir, 'shared/logo.png'))).toEqual([512, 512]);
  });

  it('a second run with unchanged inputs and rules changes no file', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
    const first = await remasterProject(dir);
    expect(first.processed.map((p) => p.path)).toEqual(['BoxTextured/BoxTextured.gltf', 'tex/brick.png']);
    const before = snapshot(dir);
    const second = await remasterProject(dir);
    expect(second.processed).toEqual([]);
    expect(second.skipped).toEqual([
      { path: 'BoxTextured/BoxTextured.gltf', reason: 'unchanged' },
      { path: 'tex/brick.png', reason: 'unchanged' },
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a rule change re-derives from the original, never from the upscaled output', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    const png = path.join(dir, 'BoxTextured/CesiumLogoFlat.png');
    const original = fs.readFileSync(png);
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    await remasterProject(dir);
    expect(await imageSize(png)).toEqual([512, 512]);

    writeJSON(path.join(dir, 'remaster.config.json'), X4);
    const report = await remasterProject(dir);
    expect(report.processed[0].textures[0]).toMatchObject({ before: { width: 256, height: 256 }, after: { width: 1024, height: 1024 } });
    expect(await imageSize(png)).toEqual([1024, 1024]);

    // Rules that no longer change anything: the right output is the original itself.
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', skip: true }] });
    await remasterProject(dir);
    expect(fs.readFileSync(png).equals(original)).toBe(true);
  });

  it('treats an output the user replaced as a new original', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    await remasterProject(dir);
    const png = path.join(dir, 'BoxTextured/CesiumLogoFlat.png');
    const mine = await encodePNG(gradientRGBA(100, 50));
    fs.writeFileSync(png, mine);
    const report = await remasterProject(dir);
    expect(report.processed[0].textures[0]).toMatchObject({ before: { width: 100, height: 50 }, after: { width: 200, height: 100 } });
    expect(fs.readFileSync(path.join(dir, '.remaster/originals/BoxTextured/CesiumLogoFlat.png')).equals(Buffer.from(mine))).toBe(true);
  });

  it('applies a sidecar over the project rules for its asset only', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'other/logo.png': 'gltf/BoxTextured/CesiumLogoFlat.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
    writeJSON(path.join(dir, 'BoxTextured/BoxTextured.gltf.remaster.json'), { rules: [{ slots: ['baseColor'], upscale: { scale: 4 } }] });
    const report = await remasterProject(dir);
    const box = report.processed.find((p) => p.path === 'BoxTextured/BoxTextured.gltf')!;
    expect(box.textures[0]).toMatchObject({ after: { width: 1024, height: 1024 }, rule: ['remaster.config.json#0', 'BoxTextured.gltf.remaster.json#0'] });
    expect(await imageSize(path.join(dir, 'other/logo.png'))).toEqual([512, 512]);
  });

  it('converts to WebP: URI, mime type and a required EXT_texture_webp; restore brings the PNGs back', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
    const pristine = snapshot(dir);
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2 }, format: 'webp' }] });
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'BoxTextured/BoxTextured.gltf'), 'utf8'));
    expect(json.images).toEqual([{ uri: 'CesiumLogoFlat.webp', mimeType: 'image/webp' }]);
    expect(json.extensionsUsed).toContain('EXT_texture_webp');
    expect(json.extensionsRequired).toContain('EXT_texture_webp');
    const doc = await readModel(path.join(dir, 'BoxTextured/BoxTextured.gltf'));
    expect(await imageSize(doc.getRoot().listTextures()[0].getImage()!)).toEqual([512, 512]);
    // A standalone texture changes its extension; the .png is kept under .remaster/originals.
    expect(fs.existsSync(path.join(dir, 'tex/brick.png'))).toBe(false);
    expect(await imageSize(path.join(dir, 'tex/brick.webp'))).toEqual([512, 512]);
    expect((await remasterProject(dir)).skipped.map((s) => s.reason)).toEqual(['unchanged', 'unchanged']);

    const restored = await restoreProject(dir);
    expect(restored.restored.sort()).toEqual(['BoxTextured/BoxTextured.gltf', 'tex/brick.png']);
    const after = snapshot(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(pristine).concat('remaster.config.json').sort());
    for (const rel of Object.keys(pristine)) expect([rel, after[rel].hash]).toEqual([rel, pristine[rel].hash]);
  });

  it('never overwrites a file Remaster created that the user edited since', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', format: 'webp' }] });
    await remasterProject(dir);
    const webp = path.join(dir, 'BoxTextured/CesiumLogoFlat.webp');
    const mine = await sharp(await encodePNG(gradientRGBA(64, 64))).webp().toBuffer();
    fs.writeFileSync(webp, mine);
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', format: 'webp', upscale: { scale: 2 } }] });
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([{
      path: 'BoxTextured/BoxTextured.gltf',
      error: 'BoxTextured/CesiumLogoFlat.webp was edited since Remaster created it; move your version aside (or run remaster restore) to re-derive it',
    }]);
    expect(fs.readFileSync(webp).equals(mine)).toBe(true);
  });

  it('a format change never overwrites an unrelated file of the new name', async () => {
    dir = makeProject({ 'wall.png': 'gltf/TextureTransformTest/UV.png', 'wall.webp': 'gltf/TextureTransformTest/Arrow.png' });
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: 'wall.png', format: 'webp' }] });
    const before = snapshot(dir);
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([{ path: 'wall.png', error: 'would overwrite wall.webp, which is not part of this asset' }]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('restore [paths] restores only those assets', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
    const brick = fs.readFileSync(path.join(dir, 'tex/brick.png'));
    await remasterProject(dir);
    const report = await restoreProject(dir, { paths: ['tex'] });
    expect(report.restored).toEqual(['tex/brick.png']);
    expect(fs.readFileSync(path.join(dir, 'tex/brick.png')).equals(brick)).toBe(true);
    expect(fs.existsSync(path.join(dir, '.remaster/originals/tex'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.remaster/originals/BoxTextured/CesiumLogoFlat.png'))).toBe(true);
    expect(await imageSize(path.join(dir, 'BoxTextured/CesiumLogoFlat.png'))).toEqual([512, 512]);
    expect((await remasterProject(dir)).processed.map((p) => p.path)).toEqual(['tex/brick.png']);
  });

  it('a failed write leaves the old file intact and the other assets done', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/brick.png': 'gltf/TextureTransformTest/UV.png' });
    const gltf = path.join(dir, 'BoxTextured/BoxTextured.gltf');
    const old = fs.readFileSync(gltf);
    const rename = fs.promises.rename;
    const spy = jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      if (String(to) === gltf) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return rename(from, to);
    });
    let report;
    try {
      report = await remasterProject(dir);
    } finally {
      spy.mockRestore();
    }
    expect(report.failed).toEqual([{ path: 'BoxTextured/BoxTextured.gltf', error: 'ENOSPC: no space left on device' }]);
    expect(report.processed.map((p) => p.path)).toEqual(['tex/brick.png']);
    expect(fs.readFileSync(gltf).equals(old)).toBe(true);
    expect(fs.readdirSync(path.dirname(gltf)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The next run finishes the job from the originals.
    const again = await remasterProject(dir);
    expect(again.processed.map((p) => p.path)).toEqual(['BoxTextured/BoxTextured.gltf']);
    expect(again.processed[0].textures[0].before).toEqual({ width: 256, height: 256 });
  });

  it('refuses URIs that leave the project, naming the model and the URI; writes nothing', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    const gltf = path.join(dir, 'BoxTextured/BoxTextured.gltf');
    const json = JSON.parse(fs.readFileSync(gltf, 'utf8'));
    json.images[0].uri = '../../outside.png';
    fs.writeFileSync(gltf, JSON.stringify(json));
    fs.rmSync(path.join(dir, 'BoxTextured/CesiumLogoFlat.png')); // else it is a standalone texture now
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([{ path: 'BoxTextured/BoxTextured.gltf', error: 'URI "../../outside.png": leaves the project directory' }]);
    expect(fs.existsSync(path.join(dir, '.remaster'))).toBe(false);
  });

  it('keeps a .gltf with embedded (data: URI) resources self-contained', async () => {
    dir = makeProject();
    const box = path.join(FIXTURES, 'gltf/BoxTextured');
    const json = JSON.parse(fs.readFileSync(path.join(box, 'BoxTextured.gltf'), 'utf8'));
    json.buffers[0].uri = `data:application/octet-stream;base64,${fs.readFileSync(path.join(box, 'BoxTextured0.bin')).toString('base64')}`;
    json.images[0].uri = `data:image/png;base64,${fs.readFileSync(path.join(box, 'CesiumLogoFlat.png')).toString('base64')}`;
    fs.writeFileSync(path.join(dir, 'box.gltf'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'baseColor.png'), 'a user file with the name glTF Transform would invent');
    const report = await remasterProject(dir, { config: { rules: [{ match: '*.gltf', upscale: { scale: 2 } }] } });
    expect(report.failed).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(['.remaster', 'baseColor.png', 'box.gltf']);
    const out = JSON.parse(fs.readFileSync(path.join(dir, 'box.gltf'), 'utf8'));
    expect(out.images[0].uri).toMatch(/^data:image\/png;base64,/);
    expect(out.buffers[0].uri).toMatch(/^data:application\/octet-stream;base64,/);
    expect(await imageSize(Buffer.from(out.images[0].uri.split(',')[1], 'base64'))).toEqual([512, 512]);
    expect(fs.readFileSync(path.join(dir, 'baseColor.png'), 'utf8')).toBe('a user file with the name glTF Transform would invent');
  });

  it('reports a texture used with conflicting kinds and leaves it unchanged', async () => {
    dir = makeProject();
    const doc = new Document();
    doc.createBuffer();
    const t = doc.createTexture('both').setImage(await encodePNG(bumpyNormals(16, 16))).setMimeType('image/png').setURI('both.png');
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(t).setNormalTexture(t));
    await writeModel(doc, path.join(dir, 'm.gltf'));
    const before = fs.readFileSync(path.join(dir, 'both.png'));
    const report = await remasterProject(dir);
    expect(report.skipped).toEqual([
      { path: 'm.gltf', reason: 'both: used as baseColor (color), normal (normal); conflicting kinds, left unchanged', warnings: ['both: used as baseColor (color), normal (normal); conflicting kinds, left unchanged'] },
    ]);
    expect(fs.readFileSync(path.join(dir, 'both.png')).equals(before)).toBe(true);
  });

  it('paths limits the run to those assets; onEvent reports progress; an aborted signal stops it', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured', 'tex/a.png': 'gltf/TextureTransformTest/UV.png', 'tex/b.png': 'gltf/TextureTransformTest/Arrow.png' });
    const events: string[] = [];
    const report = await remasterProject(dir, {
      paths: ['tex/b.png', path.join(dir, 'BoxTextured')],
      onEvent: (e) => e.type !== 'begin' && events.push(e.type === 'start' ? `start ${e.total}` : `${e.done}/${e.total} ${e.outcome} ${e.path}`),
    });
    expect(report.processed.map((p) => p.path)).toEqual(['BoxTextured/BoxTextured.gltf', 'tex/b.png']);
    expect(events).toEqual(['start 2', '1/2 processed BoxTextured/BoxTextured.gltf', '2/2 processed tex/b.png']);
    expect(await imageSize(path.join(dir, 'tex/a.png'))).toEqual([256, 256]);

    const controller = new AbortController();
    controller.abort();
    await expect(remasterProject(dir, { signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(await imageSize(path.join(dir, 'tex/a.png'))).toEqual([256, 256]);
  });

  it('keeps grey and grey+alpha images grey; leaves 16-bit images unchanged with a warning', async () => {
    dir = makeProject();
    const ramp = (channels: 1 | 2) => {
      const data = new Uint8Array(16 * 16 * channels).map((_, i) => (channels === 2 && i % 2 ? 200 : (i * 7) % 256));
      return sharp(data, { raw: { width: 16, height: 16, channels } }).toColourspace('b-w').png().toBuffer();
    };
    fs.writeFileSync(path.join(dir, 'grey_mask.png'), await ramp(1));
    fs.writeFileSync(path.join(dir, 'grey_alpha.png'), await ramp(2));
    const sixteen = await sharp(new Uint16Array(16 * 16 * 3).fill(40000), { raw: { width: 16, height: 16, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    fs.writeFileSync(path.join(dir, 'terrain_height.png'), sixteen);
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');

    const report = await remasterProject(dir);
    expect(report.failed).toEqual([]);
    expect((await sharp(path.join(dir, 'grey_mask.png')).metadata())).toMatchObject({ width: 32, channels: 1 });
    expect((await sharp(path.join(dir, 'grey_alpha.png')).metadata())).toMatchObject({ width: 32, channels: 2 });
    expect(report.skipped).toEqual([{ path: 'terrain_height.png', reason: '16-bit image left unchanged (8-bit only)', warnings: ['16-bit image left unchanged (8-bit only)'] }]);
    expect(fs.readFileSync(path.join(dir, 'terrain_height.png')).equals(sixteen)).toBe(true);
  });

  it('leaves models that share one .bin unchanged and says why', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    fs.copyFileSync(path.join(dir, 'BoxTextured/BoxTextured.gltf'), path.join(dir, 'BoxTextured/Copy.gltf'));
    const before = snapshot(dir);
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([
      { path: 'BoxTextured/BoxTextured.gltf', error: 'BoxTextured/BoxTextured0.bin is also the buffer of BoxTextured/Copy.gltf; models sharing a .bin are left unchanged' },
      { path: 'BoxTextured/Copy.gltf', error: 'BoxTextured/BoxTextured0.bin is also the buffer of BoxTextured/BoxTextured.gltf; models sharing a .bin are left unchanged' },
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('one writer per project: a live lock refuses the run, a stale one is taken over', async () => {
    dir = makeProject({ 'tex/a.png': 'gltf/TextureTransformTest/UV.png' });
    fs.mkdirSync(path.join(dir, '.remaster'));
    fs.writeFileSync(path.join(dir, '.remaster/lock'), `${process.ppid}\n`);
    await expect(remasterProject(dir)).rejects.toThrow(`${dir}: another remaster process (pid ${process.ppid}) is working on this project`);
    fs.writeFileSync(path.join(dir, '.remaster/lock'), '999999999\n');
    expect((await remasterProject(dir)).processed.map((p) => p.path)).toEqual(['tex/a.png']);
    expect(fs.existsSync(path.join(dir, '.remaster/lock'))).toBe(false);

    fs.writeFileSync(path.join(dir, 'tex/b.png'), fs.readFileSync(path.join(FIXTURES, 'gltf/TextureTransformTest/Arrow.png')));
    // Two concurrent runs in one process: whichever reaches the lock first works, the other is refused.
    const results = await Promise.allSettled([remasterProject(dir), remasterProject(dir)]);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const done = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof remasterProject>>> => r.status === 'fulfilled');
    expect(refused).toHaveLength(1);
    expect(String(refused[0].reason)).toMatch(/another remaster run in this process/);
    expect(done[0].value.processed.map((p) => p.path)).toEqual(['tex/b.png']);
  });

  it('leaves a texture whose content is not what its extension says, naming both', async () => {
    dir = makeProject({ 'tex/photo.png': 'gltf/TextureTransformTest/UV.png' });
    const jpeg = await sharp(path.join(FIXTURES, 'gltf/TextureTransformTest/UV.png')).jpeg().toBuffer();
    fs.writeFileSync(path.join(dir, 'tex/photo.png'), jpeg);
    const before = snapshot(dir);
    const report = await remasterProject(dir);
    expect(report.failed).toEqual([{ path: 'tex/photo.png', error: 'the file holds JPEG data but is named .png; rename it or re-export it' }]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('--dry-run reports the plan and changes nothing', async () => {
    dir = makeProject({ BoxTextured: 'gltf/BoxTextured' });
    const before = snapshot(dir);
    const report = await remasterProject(dir, { dryRun: true });
    expect(report.processed[0].textures[0]).toMatchObject({ before: { width: 256, height: 256 }, after: { width: 512, height: 512 }, engine: 'remaster-x2-fast' });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('remaster() glTF Transform transform', () => {
  it('remasters a document in memory', async () => {
    const doc = await readModel(path.join(FIXTURES, 'gltf/BoxTextured/BoxTextured.gltf'));
    const engine = createEngine();
    await doc.transform(remaster({ rules: [{ upscale: { scale: 2, model: 'lanczos' } }], engine }));
    await engine.close();
    expect(await imageSize(doc.getRoot().listTextures()[0].getImage()!)).toEqual([512, 512]);
  });

  it('validates its rules like a config file', async () => {
    const doc = await readModel(path.join(FIXTURES, 'gltf/BoxTextured/BoxTextured.gltf'));
    await expect(doc.transform(remaster({ rules: [{ upscale: { scale: 3 as 2 } }] }))).rejects.toThrow(
      'remaster() rules: rules.0.upscale.scale: must be one of 2, 4, got 3',
    );
  });
});
