/**
 * What a new user meets first (issue 8, "for a new user"): `remaster --version`; a rule whose `match`
 * matches nothing is a warning, not silence; a model left alone because its only textures are KTX2
 * says so.
 */
import { Document } from '@gltf-transform/core';
import { KHRTextureBasisu } from '@gltf-transform/extensions';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createDefaultContainer, write as writeKTX2 } from 'ktx-parse';
import { remasterProject } from '../plugin/pipeline';
import { addTriangle, writeModel } from './helpers/model';
import { encodePNG, gradientRGBA, makeProject, removeProject, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');

describe('for a new user', () => {
  let dir: string;
  beforeEach(() => (dir = makeProject()));
  afterEach(() => removeProject(dir));

  it('remaster --version prints the package version', () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
  });

  it('a rule whose match matches no asset (a typo) is a warning in the report and the text output', async () => {
    fs.mkdirSync(path.join(dir, 'textures'));
    fs.writeFileSync(path.join(dir, 'textures', 'wall.png'), await encodePNG(gradientRGBA(8, 8)));
    writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }, { match: 'textrues/**', skip: true }] });
    const r = spawnSync(process.execPath, [BIN, 'run', dir, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual(['remaster.config.json: rules.1.match: "textrues/**" matches no asset']);
    const text = spawnSync(process.execPath, [BIN, 'run', dir, '--dry-run'], { encoding: 'utf8' });
    expect(text.stdout).toMatch(/^warning: remaster\.config\.json: rules\.1\.match: "textrues\/\*\*" matches no asset$/m);
  });

  it('a model whose only textures are KTX2 says so, not "no rule applies"', async () => {
    const container = createDefaultContainer();
    container.vkFormat = 37; // VK_FORMAT_R8G8B8A8_UNORM
    container.pixelWidth = 4;
    container.pixelHeight = 4;
    container.levels = [{ levelData: new Uint8Array(64).fill(200), uncompressedByteLength: 64 }];
    const doc = new Document();
    doc.createBuffer();
    doc.createExtension(KHRTextureBasisu).setRequired(true);
    const texture = doc.createTexture('gpu').setImage(writeKTX2(container)).setMimeType('image/ktx2').setURI('gpu.ktx2');
    addTriangle(doc, doc.createMaterial('m').setBaseColorTexture(texture));
    await writeModel(doc, path.join(dir, 'm.gltf'));
    const report = await remasterProject(dir, { config: { rules: [{ upscale: { scale: 2, model: 'lanczos' } }] } });
    const entry = report.skipped.find((a) => a.path === 'm.gltf');
    expect(entry?.reason).toMatch(/KTX2/);
  });
});
