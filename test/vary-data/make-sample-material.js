#!/usr/bin/env node
/**
 * Makes the sample project's Texture Multiplier inputs (procedural, so no third-party licence):
 * a tiling "stones" set — colour, tangent-space normal and ORM (occlusion, roughness, metalness), 128² —
 * as standalone files (textures/stones.png, stones_n.png, stones_orm.png) and as a quad model with
 * the same maps (models/VaryStones.glb), each with a `vary` sidecar. Run after `npm run build`:
 *
 *   node test/vary-data/make-sample-material.js fixtures/sample-project
 */
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');
const { Document, NodeIO } = require('@gltf-transform/core');

const N = 128;
const CELLS = 9;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stones() {
  const r = rng(42);
  const pts = Array.from({ length: CELLS * 2 }, () => ({ x: r() * N, y: r() * N, tint: r() }));
  const height = new Float64Array(N * N);
  const tint = new Float64Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      let d1 = Infinity, d2 = Infinity, best = 0;
      pts.forEach((p, i) => {
        let dx = Math.abs(x - p.x); dx = Math.min(dx, N - dx);
        let dy = Math.abs(y - p.y); dy = Math.min(dy, N - dy);
        const d = Math.hypot(dx, dy);
        if (d < d1) { d2 = d1; d1 = d; best = i; } else if (d < d2) d2 = d;
      });
      height[y * N + x] = Math.min(1, (d2 - d1) / 6) + 0.08 * (r() - 0.5);
      tint[y * N + x] = pts[best].tint;
    }
  }
  const colour = Buffer.alloc(N * N * 3), normal = Buffer.alloc(N * N * 3), orm = Buffer.alloc(N * N * 3);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const i = y * N + x, h = height[i], t = tint[i];
      const g = 70 + 120 * h;
      colour[i * 3] = Math.min(255, g + 40 * t); colour[i * 3 + 1] = Math.min(255, g + 20 * t); colour[i * 3 + 2] = Math.min(255, g - 10 + 15 * (1 - t));
      const hx = height[y * N + ((x + 1) % N)] - height[y * N + ((x + N - 1) % N)];
      const hy = height[((y + 1) % N) * N + x] - height[((y + N - 1) % N) * N + x];
      let nx = -hx * 3, ny = -hy * 3, nz = 1;
      const len = Math.hypot(nx, ny, nz); nx /= len; ny /= len; nz /= len;
      normal[i * 3] = Math.round((nx + 1) * 127.5); normal[i * 3 + 1] = Math.round((ny + 1) * 127.5); normal[i * 3 + 2] = Math.round((nz + 1) * 127.5);
      orm[i * 3] = Math.round(255 * (0.4 + 0.6 * Math.min(1, h * 1.5))); orm[i * 3 + 1] = Math.round(255 * (0.9 - 0.4 * h)); orm[i * 3 + 2] = 0;
    }
  }
  const png = (data) => sharp(data, { raw: { width: N, height: N, channels: 3 } }).png().toBuffer();
  return Promise.all([png(colour), png(normal), png(orm)]);
}

async function main() {
  const root = process.argv[2];
  if (!root) throw new Error('usage: make-sample-material.js PROJECT_DIR');
  const [colour, normal, orm] = await stones();
  const tex = path.join(root, 'textures');
  fs.writeFileSync(path.join(tex, 'stones.png'), colour);
  fs.writeFileSync(path.join(tex, 'stones_n.png'), normal);
  fs.writeFileSync(path.join(tex, 'stones_orm.png'), orm);
  const sidecar = { rules: [{ vary: { count: 2, seed: 7, variation: 0.5 } }] };
  fs.writeFileSync(path.join(tex, 'stones.png.remaster.json'), JSON.stringify(sidecar, null, 2) + '\n');

  const doc = new Document();
  const buffer = doc.createBuffer();
  const t = (name, bytes) => doc.createTexture(name).setImage(bytes).setMimeType('image/png');
  const ormTex = t('stones_orm', orm);
  const material = doc.createMaterial('Stones').setBaseColorTexture(t('stones_color', colour)).setNormalTexture(t('stones_normal', normal))
    .setOcclusionTexture(ormTex).setMetallicRoughnessTexture(ormTex).setMetallicFactor(1).setRoughnessFactor(1);
  const acc = (type, arr) => doc.createAccessor().setType(type).setArray(arr).setBuffer(buffer);
  const prim = doc.createPrimitive()
    .setAttribute('POSITION', acc('VEC3', new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0])))
    .setAttribute('NORMAL', acc('VEC3', new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1])))
    .setAttribute('TANGENT', acc('VEC4', new Float32Array([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1])))
    .setAttribute('TEXCOORD_0', acc('VEC2', new Float32Array([0, 1, 1, 1, 1, 0, 0, 0])))
    .setIndices(doc.createAccessor().setType('SCALAR').setArray(new Uint16Array([0, 1, 2, 0, 2, 3])).setBuffer(buffer))
    .setMaterial(material);
  doc.createScene().addChild(doc.createNode('Stones').setMesh(doc.createMesh('Stones').addPrimitive(prim)));
  const glb = path.join(root, 'models', 'VaryStones.glb');
  fs.writeFileSync(glb, await new NodeIO().writeBinary(doc));
  fs.writeFileSync(glb + '.remaster.json', JSON.stringify(sidecar, null, 2) + '\n');
  process.stdout.write('wrote stones set and VaryStones.glb\n');
}
main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
