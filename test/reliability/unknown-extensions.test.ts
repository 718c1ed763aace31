/**
 * Unknown glTF extensions never vanish silently (issue 8, item 18): a model using one Remaster cannot
 * carry over is left unchanged with a warning naming the model and the extension; known metadata
 * (KHR_xmp_json_ld) is carried over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { remasterProject } from '../../plugin/pipeline';
import { gltfJSON, makeSandbox, noisePNG, removeDir, write } from './helpers';

const config = { rules: [{ upscale: { scale: 2 as const, model: 'lanczos' } }] };

describe('glTF extensions Remaster does not know', () => {
  let box: ReturnType<typeof makeSandbox>;
  beforeEach(() => (box = makeSandbox()));
  afterEach(() => removeDir(box.base));

  it.each([
    ['KHR_xmp (declared, on the asset)', (json: any) => {
      json.extensionsUsed = ['KHR_xmp'];
      json.extensions = { KHR_xmp: { '@context': { dc: 'http://purl.org/dc/elements/1.1/' }, packets: [{ 'dc:creator': ['Studio'] }] } };
      json.asset.extensions = { KHR_xmp: { packet: 0 } };
    }, 'KHR_xmp'],
    ['an unregistered vendor extension on a node, undeclared', (json: any) => {
      json.nodes[0].extensions = { ACME_lightmap_info: { atlas: 3 } };
    }, 'ACME_lightmap_info'],
  ])('%s: the model is left unchanged, with a warning naming it', async (_what, mutate, name) => {
    const { json } = await gltfJSON({ bytes: new Uint8Array(await noisePNG(8, 8)) });
    mutate(json);
    const text = JSON.stringify(json);
    write(path.join(box.project, 'm.gltf'), text);
    const report = await remasterProject(box.project, { config });
    expect(fs.readFileSync(path.join(box.project, 'm.gltf'), 'utf8')).toBe(text);
    const entry = report.skipped.find((a) => a.path === 'm.gltf');
    expect(entry?.warnings?.join(' ')).toContain(name);
    expect(entry?.reason).toMatch(/left unchanged/);
  });

  it('KHR_xmp_json_ld metadata is carried over when the model is remastered', async () => {
    const { json } = await gltfJSON({ bytes: new Uint8Array(await noisePNG(8, 8)) });
    json.extensionsUsed = [...(json.extensionsUsed ?? []), 'KHR_xmp_json_ld'];
    json.extensions = { KHR_xmp_json_ld: { packets: [{ '@context': { dc: 'http://purl.org/dc/elements/1.1/' }, 'dc:creator': { '@list': ['Studio'] } }] } };
    json.asset.extensions = { KHR_xmp_json_ld: { packet: 0 } };
    write(path.join(box.project, 'm.gltf'), JSON.stringify(json));
    const report = await remasterProject(box.project, { config });
    expect(report.processed.map((a) => a.path)).toEqual(['m.gltf']);
    const out = JSON.parse(fs.readFileSync(path.join(box.project, 'm.gltf'), 'utf8'));
    expect(out.extensionsUsed).toContain('KHR_xmp_json_ld');
    expect(JSON.stringify(out.extensions.KHR_xmp_json_ld)).toContain('Studio');
  });
});
