/**
 * Models with compressed geometry (KHR_draco_mesh_compression, EXT_meshopt_compression) and KTX2
 * textures: `remaster run` remasters their textures and writes them back with the same compression,
 * the same geometry, and no new validator errors. The compressed models are made here from BoxTextured
 * with glTF Transform's own draco()/meshopt() transforms, so they are what studios' tools produce.
 */
import { Document, Logger, type Primitive } from '@gltf-transform/core';
import { KHRTextureBasisu } from '@gltf-transform/extensions';
import { draco, meshopt } from '@gltf-transform/functions';
import { createDefaultContainer, write as writeKTX2 } from 'ktx-parse';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../plugin/pipeline';
import { loadCodec } from '../plugin/gltf/codecs';
import { readModel, writeModel } from './helpers/model';
import { FIXTURES, imageSize, makeProject, removeProject, writeJSON } from './helpers/project';
import { errorCounts, validate } from './helpers/validator';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const BOX = path.join(FIXTURES, 'gltf/BoxTextured/BoxTextured.gltf');
const X2 = { rules: [{ match: '**/*', upscale: { scale: 2, model: 'lanczos' } }] };

function runCLI(dir: string): RunReport {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'run', dir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 })) as RunReport;
}

/** Per primitive: vertex count, index count, and its triangles as position triples (order-free). */
function geometry(doc: Document) {
  return doc.getRoot().listMeshes().flatMap((mesh) => mesh.listPrimitives().map((prim) => ({
    vertices: prim.getAttribute('POSITION')!.getCount(),
    indices: prim.getIndices()?.getCount() ?? 0,
    triangles: triangles(prim),
  })));
}

/** Triangles as their corners' attribute values (every attribute), sorted: Draco may renumber vertices. */
function triangles(prim: Primitive): number[][][] {
  const attributes = prim.listSemantics().sort().map((s) => prim.getAttribute(s)!);
  const indices = prim.getIndices()!.getArray()!;
  const out: number[][][] = [];
  for (let i = 0; i < indices.length; i += 3) {
    const tri = [0, 1, 2].map((k) => attributes.flatMap((a) => a.getElement(indices[i + k], [])));
    // Rotate so the triangle starts at its smallest vertex: same winding, any starting corner.
    const first = tri.reduce((best, v, k) => (compare(v, tri[best]) < 0 ? k : best), 0);
    out.push([0, 1, 2].map((k) => tri[(first + k) % 3]));
  }
  return out.sort((a, b) => compare(a.flat(), b.flat()));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function extensionsUsed(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const jsonLength = bytes.readUInt32LE(12);
  return (JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8')).extensionsUsed ?? []).sort();
}

describe('compressed geometry round-trips', () => {
  let dir: string;
  const models = { draco: 'draco/BoxTextured.glb', meshopt: 'meshopt/BoxTextured.glb' };

  beforeAll(async () => {
    dir = makeProject();
    const encoder = await loadCodec('meshopt.encoder');
    // Quiet: meshopt() logs that BoxTextured's UVs are out of [0,1] (left unquantized, as intended).
    const quiet = new Logger(Logger.Verbosity.ERROR);
    const box = (await readModel(BOX)).setLogger(quiet);
    // Not glTF Transform's default bits, which a rewrite would otherwise fall back to (draco-options.ts).
    await box.transform(draco({ quantizePosition: 16, quantizeTexcoord: 14, quantizeNormal: 12 }));
    await writeModel(box, path.join(dir, models.draco));
    const box2 = (await readModel(BOX)).setLogger(quiet);
    await box2.transform(meshopt({ encoder: encoder as Parameters<typeof meshopt>[0]['encoder'], level: 'high' }));
    await writeModel(box2, path.join(dir, models.meshopt));
    writeJSON(path.join(dir, 'remaster.config.json'), X2);
  });
  afterAll(() => removeProject(dir));

  it('remasters the textures of a Draco GLB and a Meshopt GLB; compression, geometry and validity kept', async () => {
    const expected = { draco: 'KHR_draco_mesh_compression', meshopt: 'EXT_meshopt_compression' };
    const before: Record<string, { errors: Record<string, number>; extensions: string[]; geometry: ReturnType<typeof geometry>; bytes: number }> = {};
    for (const [kind, rel] of Object.entries(models)) {
      const file = path.join(dir, rel);
      const extensions = extensionsUsed(file);
      expect(extensions).toContain(expected[kind as keyof typeof expected]); // the fixture really is compressed
      before[kind] = { errors: errorCounts(await validate(file)), extensions, geometry: geometry(await readModel(file)), bytes: fs.statSync(file).size };
    }

    const report = runCLI(dir);
    expect(report.failed).toEqual([]);
    expect(report.processed.map((p) => p.path).sort()).toEqual(Object.values(models).sort());

    for (const [kind, rel] of Object.entries(models)) {
      const file = path.join(dir, rel);
      const entry = report.processed.find((p) => p.path === rel)!;
      expect(entry.textures.map((t) => [t.before, t.after])).toEqual([[{ width: 256, height: 256 }, { width: 512, height: 512 }]]);
      expect([kind, extensionsUsed(file)]).toEqual([kind, before[kind].extensions]);
      const after = errorCounts(await validate(file));
      for (const [code, count] of Object.entries(after)) expect([kind, code, count]).toEqual([kind, code, Math.min(count, before[kind].errors[code] ?? 0)]);
      const doc = await readModel(file);
      expect(await imageSize(doc.getRoot().listTextures()[0].getImage()!)).toEqual([512, 512]);
      // Same primitives, vertex and index counts, and the same triangles at the same places.
      expect([kind, geometry(doc)]).toEqual([kind, before[kind].geometry]);
    }
  });
});

/** A 4×4 RGBA8 KTX2 image (ktx-parse comes with @gltf-transform/functions): only its bytes matter here. */
function tinyKTX2(): Buffer {
  const container = createDefaultContainer();
  container.vkFormat = 37; // VK_FORMAT_R8G8B8A8_UNORM
  container.pixelWidth = 4;
  container.pixelHeight = 4;
  container.levels = [{ levelData: new Uint8Array(64).fill(200), uncompressedByteLength: 64 }];
  return Buffer.from(writeKTX2(container));
}

describe('KTX2 (KHR_texture_basisu) textures', () => {
  it('are kept byte-identical, with their PNG fallback, and a warning; the model\'s other textures are still remastered', async () => {
    const dir = makeProject();
    try {
      const doc = await readModel(BOX);
      doc.createExtension(KHRTextureBasisu);
      const ktx2 = tinyKTX2();
      const texture = doc.createTexture('gpu').setImage(ktx2).setMimeType('image/ktx2').setURI('gpu.ktx2');
      doc.getRoot().listMaterials()[0].setEmissiveTexture(texture).setEmissiveFactor([1, 1, 1]);
      const file = path.join(dir, 'box/BoxTextured.gltf');
      await writeModel(doc, file);
      // Give the KTX2 texture a fallback, for loaders without KTX2: the base colour PNG.
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      const png = json.images.findIndex((i: { uri: string }) => i.uri === 'CesiumLogoFlat.png');
      json.textures.find((t: { extensions?: object }) => t.extensions).source = png;
      fs.writeFileSync(file, JSON.stringify(json));
      const errorsBefore = errorCounts(await validate(file));
      writeJSON(path.join(dir, 'remaster.config.json'), X2);

      const report = runCLI(dir);
      expect(report.failed).toEqual([]);
      const entry = report.processed.find((p) => p.path === 'box/BoxTextured.gltf')!;
      expect(entry.textures.map((t) => [t.slots, t.after])).toEqual([[['baseColor'], { width: 512, height: 512 }]]);
      expect(entry.warnings).toEqual([expect.stringMatching(/^gpu: KTX2 .*kept unchanged/)]);
      expect(fs.readFileSync(path.join(dir, 'box/gpu.ktx2')).equals(ktx2)).toBe(true);
      expect(await imageSize(path.join(dir, 'box/CesiumLogoFlat.png'))).toEqual([512, 512]);

      const out = JSON.parse(fs.readFileSync(file, 'utf8'));
      const gpu = out.textures.find((t: { extensions?: object }) => t.extensions);
      expect([out.images[gpu.extensions.KHR_texture_basisu.source].uri, out.images[gpu.source]?.uri]).toEqual(['gpu.ktx2', 'CesiumLogoFlat.png']);
      expect(out.extensionsUsed).toEqual(['KHR_texture_basisu']);
      expect(out.extensionsRequired).toBeUndefined(); // still optional: the fallback is there
      const errorsAfter = errorCounts(await validate(file));
      for (const [code, count] of Object.entries(errorsAfter)) expect([code, count]).toEqual([code, Math.min(count, errorsBefore[code] ?? 0)]);
    } finally {
      removeProject(dir);
    }
  });
});
