/**
 * `remaster run` turns V8's incremental marking off (plugin/gc-tuning.ts, issue 13): on a project of
 * small textures V8 otherwise restarts marking after nearly every full collection (a 20-texture run:
 * 5-7 incrementally marked collections, 15-23 for 40). Seen from outside with `--trace-gc`, which
 * prints "incremental marking" for each of those; a user's own `--incremental-marking` is kept.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { encodePNG, makeProject, removeProject, writeJSON } from './helpers/project';

const BIN = path.join(__dirname, '..', 'bin', 'remaster.js');
const TEXTURES = 20;

/** 20 distinct 256² RGB textures, x2 with the shipped fast model. */
async function project(): Promise<string> {
  const dir = makeProject();
  writeJSON(path.join(dir, 'remaster.config.json'), { rules: [{ match: '**/*', upscale: { scale: 2, model: 'remaster-x2-fast' } }] });
  fs.mkdirSync(path.join(dir, 'tex'));
  for (let i = 0; i < TEXTURES; i++) {
    const data = new Uint8Array(256 * 256 * 3);
    for (let j = 0; j < data.length; j++) data[j] = ((j % 768) * (i + 3) + ((j * 2654435761) >>> 27)) & 255;
    fs.writeFileSync(path.join(dir, 'tex', `t${i}.png`), await encodePNG({ data, width: 256, height: 256, channels: 3 }));
  }
  return dir;
}

/** `remaster run --json` under `node --trace-gc [nodeFlags]`: incrementally marked collections, and assets processed. */
function run(dir: string, nodeFlags: string[]): { incremental: number; processed: number; stderr: string } {
  const child = spawnSync(process.execPath, ['--trace-gc', ...nodeFlags, BIN, 'run', dir, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`remaster run exited ${child.status}: ${child.stderr}`);
  const lines = child.stdout.split('\n');
  const report = JSON.parse(lines.filter((l) => l.startsWith('{')).pop()!) as { processed: unknown[] };
  return { incremental: lines.filter((l) => /incremental marking/.test(l)).length, processed: report.processed.length, stderr: child.stderr };
}

describe('garbage-collector setting of remaster run', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProject));

  it('runs with no incremental marking, and keeps the V8 default where the user asks for it', async () => {
    const tuned = await project();
    const asked = await project();
    dirs.push(tuned, asked);
    const a = run(tuned, []);
    const b = run(asked, ['--incremental-marking']);
    expect(a.processed).toBe(TEXTURES);
    expect(b.processed).toBe(TEXTURES);
    expect(a.incremental).toBe(0);
    expect(b.incremental).toBeGreaterThan(0); // the same run under V8's default marks incrementally
  }, 120_000);
});
