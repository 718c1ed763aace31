/**
 * Writes the synthetic two-shot fixture (fixtures/material/): a procedural material (synthetic.ts,
 * made here, MIT like the project) tiled over a 384×288 frame with an offset, rendered with the capture
 * model (fov 65°, default flash and room light, photo noise, 8-bit PNG), plus its known maps.
 *
 *   npm run build && node dist/plugin/ops/material/fixture.js fixtures/material
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { encodeMaps } from './encode';
import { encodePhoto } from './photo';
import { renderFlash, renderGuide } from './render';
import { syntheticMaterial, tileMaps } from './synthetic';

/** The fixture's set-up; tests rebuild the exact maps from it. */
export const FIXTURE = {
  width: 384, height: 288, fovDeg: 65, period: 48, offset: [5, 7] as [number, number],
  flashSeed: 11, guideSeed: 12,
};

export async function writeFixture(dir: string): Promise<void> {
  const tile = syntheticMaterial({ size: FIXTURE.period });
  const frame = tileMaps(tile, FIXTURE.width, FIXTURE.height, FIXTURE.offset);
  const camera = { width: FIXTURE.width, height: FIXTURE.height, fovDeg: FIXTURE.fovDeg };
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'flash.png'), await encodePhoto(renderFlash(frame, camera), { seed: FIXTURE.flashSeed }));
  await fs.writeFile(path.join(dir, 'guide.png'), await encodePhoto(renderGuide(frame, camera), { seed: FIXTURE.guideSeed }));
  const flat = new Float32Array(tile.width * tile.height).fill(0.5);
  const truth = await encodeMaps(tile, flat, flat.map(() => 1));
  await fs.writeFile(path.join(dir, 'truth-tile-basecolor.png'), truth.basecolor);
  await fs.writeFile(path.join(dir, 'truth-tile-normal.png'), truth.normal);
  await fs.writeFile(path.join(dir, 'truth-tile-roughness.png'), truth.roughness);
  await fs.writeFile(path.join(dir, 'truth-tile-specular.png'), truth.specular);
  await fs.writeFile(path.join(dir, 'truth-tile-anisotropy.png'), truth.anisotropy);
  await fs.writeFile(path.join(dir, 'fixture.json'), `${JSON.stringify({ ...FIXTURE, specularColorFactor: truth.specularColorFactor }, null, 2)}\n`);
}

if (require.main === module) {
  writeFixture(process.argv[2] ?? 'fixtures/material').catch((err) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  });
}
