/**
 * Broken and lying assets: truncated/corrupt images and models, files that are not what their
 * extension says. One run over all of them beside two good assets: each bad one fails with a one-line
 * error naming it, exit 1, the good ones are done, and nothing of the bad ones changes (no original
 * copy, no state record).
 */
import fs from 'node:fs';
import path from 'node:path';
import { glbWithImage, gltfJSON, hashTree, makeSandbox, noisePNG, reencode, removeDir, runJSON, write } from './helpers';

/** GLB container with the given JSON and BIN chunk, lengths written as given (so they can lie). */
function glb(json: unknown, bin?: Uint8Array, lie: { jsonLength?: number; totalLength?: number; magic?: string } = {}): Buffer {
  let jsonBytes = Buffer.from(JSON.stringify(json));
  jsonBytes = Buffer.concat([jsonBytes, Buffer.alloc((4 - (jsonBytes.length % 4)) % 4, 0x20)]);
  const parts = [Buffer.alloc(12), Buffer.alloc(8), jsonBytes];
  parts[1].writeUInt32LE(lie.jsonLength ?? jsonBytes.length, 0);
  parts[1].write('JSON', 4, 'latin1');
  if (bin) {
    const padded = Buffer.concat([bin, Buffer.alloc((4 - (bin.length % 4)) % 4)]);
    const header = Buffer.alloc(8);
    header.writeUInt32LE(padded.length, 0);
    header.write('BIN\0', 4, 'latin1');
    parts.push(header, padded);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  parts[0].write(lie.magic ?? 'glTF', 0, 'latin1');
  parts[0].writeUInt32LE(2, 4);
  parts[0].writeUInt32LE(lie.totalLength ?? total, 8);
  return Buffer.concat(parts);
}

describe('broken inputs', () => {
  let box: ReturnType<typeof makeSandbox>;
  afterEach(() => removeDir(box.base));

  it('each bad file fails alone, named, in one line; the good assets are done; the bad ones are untouched', async () => {
    box = makeSandbox();
    const p = (rel: string) => path.join(box.project, rel);
    const png = await noisePNG(16, 16, 5);
    const jpeg = await reencode(png, 'jpeg');
    const webp = await reencode(png, 'webp');
    const good = await gltfJSON({ uri: 'img.png' });
    const bad: Record<string, Uint8Array | string> = {
      // images
      'img/truncated.png': png.subarray(0, png.length >> 1),
      'img/header-only.png': png.subarray(0, 33),
      'img/empty.png': '',
      'img/garbage-idat.png': Buffer.concat([png.subarray(0, 41), Buffer.alloc(png.length - 53, 0xa5), png.subarray(png.length - 12)]),
      'img/truncated.jpg': jpeg.subarray(0, jpeg.length >> 1),
      'img/truncated.webp': webp.subarray(0, webp.length >> 1),
      'img/text.png': 'this is not an image\n',
      'img/html.jpg': '<!doctype html><script>alert(1)</script>',
      // not what the extension says
      'img/jpeg-named.png': jpeg,
      'img/png-named.webp': png,
      'img/webp-named.jpg': webp,
      // models
      'models/empty.glb': '',
      'models/bad-magic.glb': glb(good.json, undefined, { magic: 'gLTF' }),
      'models/json-chunk-too-long.glb': glb(good.json, undefined, { jsonLength: 1 << 30 }),
      'models/total-too-long.glb': glb(good.json, undefined, { totalLength: 1 << 30 }),
      'models/truncated.glb': Buffer.from([0x67, 0x6c, 0x54, 0x46, 2, 0, 0, 0]),
      'models/gltf-named.glb': JSON.stringify(good.json),
      'models/invalid.gltf': '{ "asset": { "version": "2.0" }, ',
      'models/array.gltf': '[]',
      'models/null.gltf': 'null',
      'models/no-asset.gltf': '{ "images": [] }',
      'models/proto.gltf': '{ "__proto__": { "asset": 1 }, "constructor": { "prototype": { "polluted": 1 } } }',
      'models/missing-bin.gltf': JSON.stringify((await gltfJSON({ bytes: png }, 'nowhere.bin')).json),
      'models/missing-image.gltf': JSON.stringify((await gltfJSON({ uri: 'nowhere.png' })).json),
      'models/corrupt-embedded.gltf': JSON.stringify((await gltfJSON({ bytes: png.subarray(0, 60) })).json),
      'models/corrupt-image.glb': await glbWithImage(new Uint8Array(png.subarray(0, 60))),
    };
    // Accessor and buffer view pointing past their buffer.
    const pastView = structuredClone(good.json);
    pastView.accessors[0].byteOffset = 1 << 20;
    bad['models/accessor-past-view.gltf'] = JSON.stringify(pastView);
    const pastBuffer = structuredClone(good.json);
    pastBuffer.bufferViews[0].byteLength = 1 << 20;
    bad['models/view-past-buffer.gltf'] = JSON.stringify(pastBuffer);
    const shortBin = structuredClone(good.json);
    shortBin.buffers[0].uri = 'short.bin';
    bad['models/bin-too-short.gltf'] = JSON.stringify(shortBin);
    write(p('models/short.bin'), good.bin.subarray(0, 8));
    write(p('models/img.png'), await noisePNG(8, 8, 11)); // referenced by good.gltf only... and the bad ones above
    for (const [rel, bytes] of Object.entries(bad)) write(p(rel), bytes);
    write(p('good.png'), png);
    write(p('models/good.gltf'), JSON.stringify(good.json));
    const before = hashTree(box.project);

    const r = runJSON(box.project);
    expect(r.code).toBe(1);
    const failed = Object.fromEntries(r.report.failed.map((f) => [f.path, f.error]));
    const problems: string[] = [];
    for (const rel of Object.keys(bad)) {
      if (!failed[rel]) problems.push(`${rel}: not reported as failed (${JSON.stringify([...r.report.processed, ...r.report.skipped].find((a) => a.path === rel))})`);
      else if (/\n/.test(failed[rel]) || failed[rel].length < 8) problems.push(`${rel}: unclear error ${JSON.stringify(failed[rel])}`);
    }
    expect(problems).toEqual([]);
    expect(r.report.processed.map((a) => a.path).sort()).toEqual(['good.png', 'models/good.gltf']);
    // Errors say what is wrong with which file.
    expect(failed['img/jpeg-named.png']).toMatch(/JPEG.*\.png|\.png.*JPEG/i);
    expect(failed['models/missing-bin.gltf']).toMatch(/nowhere\.bin.*missing/);
    expect(failed['models/corrupt-image.glb']).toMatch(/texture "base"/);

    const after = hashTree(box.project);
    for (const [rel, hash] of Object.entries(before)) {
      if (rel in bad || rel === 'models/short.bin') expect([rel, after[rel]]).toEqual([rel, hash]);
    }
    const kept = Object.keys(after).filter((rel) => rel.startsWith('.remaster/originals/')).map((rel) => rel.slice('.remaster/originals/'.length));
    expect(kept.sort()).toEqual(['good.png', 'models/good.gltf', 'models/img.png']);
    const state = JSON.parse(fs.readFileSync(p('.remaster/state.json'), 'utf8'));
    expect(Object.keys(state.assets).sort()).toEqual(['good.png', 'models/good.gltf']);

    // And again: the same failures, no crash on the state the first run left.
    const again = runJSON(box.project);
    expect(again.code).toBe(1);
    expect(again.report.failed.map((f) => f.path).sort()).toEqual(Object.keys(bad).sort());
    expect(again.report.skipped.map((a) => a.path).sort()).toEqual(['good.png', 'models/good.gltf']);
  });
});
