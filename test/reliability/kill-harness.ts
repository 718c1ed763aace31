/**
 * SIGKILL at arbitrary points of a real `remaster run`, and the invariant that must hold after each
 * kill: every project file is bit-for-bit its original or its reference output, every kept original is
 * the true original, state.json parses, and a later run finishes the job exactly like an unkilled run.
 * Used by test/reliability/kill.test.ts (CI, 20 points) and test/soak (hundreds of points).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAtomicTempName } from '../../plugin/state/atomic-write';
import { gltfJSON, gltfWithImageInBin, glbWithImage, hashTree, noisePNG, reencode, start, exited, cli, write } from './helpers';

/** Several textures and models, one of each kind of write (in-place, format change, .gltf + resources). */
export async function buildFaultProject(dir: string, textures = 10): Promise<void> {
  for (let i = 0; i < textures; i++) write(path.join(dir, 'tex', `t${i}.png`), await noisePNG(160, 160, i + 1, i % 2 ? 4 : 3));
  write(path.join(dir, 'tex', 'photo.jpg'), await reencode(await noisePNG(160, 120, 50), 'jpeg'));
  // A format change: the .png is removed and a .webp created.
  write(path.join(dir, 'tex', 'wall.png'), await noisePNG(128, 128, 60));
  write(path.join(dir, 'tex', 'wall.png.remaster.json'), JSON.stringify({ rules: [{ format: 'webp' }] }));
  for (let m = 0; m < 3; m++) {
    const { json, bin } = await gltfJSON({ uri: `m${m}.png` }, `m${m}.bin`);
    write(path.join(dir, 'models', `m${m}.bin`), bin);
    write(path.join(dir, 'models', `m${m}.png`), await noisePNG(128, 128, 70 + m));
    write(path.join(dir, 'models', `m${m}.gltf`), JSON.stringify(json, null, 2));
  }
  write(path.join(dir, 'models', 'embedded.gltf'), JSON.stringify((await gltfJSON({ bytes: await noisePNG(128, 128, 80) })).json));
  write(path.join(dir, 'models', 'packed.glb'), await glbWithImage(new Uint8Array(await noisePNG(128, 128, 90))));
  // A .gltf whose image lives in its .bin: the .bin changes, and the pair must switch as a unit.
  const inBin = await gltfWithImageInBin(new Uint8Array(await noisePNG(128, 128, 95)), 'inbin.bin');
  write(path.join(dir, 'models', 'inbin.gltf'), JSON.stringify(inBin.json, null, 2));
  write(path.join(dir, 'models', 'inbin.bin'), inBin.bin);
}

export interface Reference {
  /** Project files before any run (no .remaster/). */
  original: Record<string, string>;
  /** Project files after a full run, .remaster/ excluded. */
  output: Record<string, string>;
  /** Wall time of a full CLI run, and of its first progress line (startup before any asset is done). */
  seconds: number;
  firstAssetSeconds: number;
}

/** Extra `remaster run` arguments for every run of the harness (a cached or sharded kill suite). */
export const runExtraArgs: string[] = [];

/** Runs a copy of the template to completion, timing it. */
export async function referenceRun(template: string, scratch: string): Promise<Reference> {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.cpSync(template, scratch, { recursive: true });
  const t0 = Date.now();
  const child = start(['run', scratch, ...runExtraArgs]);
  let firstAssetSeconds = 0;
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    if (!firstAssetSeconds) firstAssetSeconds = (Date.now() - t0) / 1000;
    out += d.toString();
  });
  const { code } = await exited(child);
  if (code !== 0) throw new Error(`reference run failed (${code}): ${out}`);
  return { original: hashTree(template), output: projectFiles(scratch), seconds: (Date.now() - t0) / 1000, firstAssetSeconds };
}

/** Project files, .remaster/ excluded. */
export function projectFiles(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(hashTree(dir)).filter(([rel]) => !rel.startsWith('.remaster/')));
}

/**
 * Starts a run and SIGKILLs it after delayMs. `midRun`: it was still running when killed; else
 * `finishedMs`: how long it took (the machine's pace now, which the kill window follows).
 */
export async function killAfter(dir: string, delayMs: number): Promise<{ midRun: boolean; finishedMs?: number }> {
  const t0 = Date.now();
  const child = start(['run', dir, ...runExtraArgs]);
  let finishedMs: number | undefined;
  child.once('exit', () => (finishedMs = Date.now() - t0));
  child.stdout!.resume();
  child.stderr!.resume();
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const running = child.exitCode === null && child.signalCode === null;
  child.kill('SIGKILL');
  await exited(child);
  return running ? { midRun: true } : { midRun: false, finishedMs };
}

/** What is wrong with the project after a kill (empty = consistent). */
export function checkAfterKill(dir: string, ref: Reference): string[] {
  const problems: string[] = [];
  // A temp file of an interrupted atomic write may stay until the next run sweeps it (checkCompletes).
  const now = Object.fromEntries(Object.entries(projectFiles(dir)).filter(([rel]) => !isAtomicTempName(path.posix.basename(rel))));
  for (const rel of new Set([...Object.keys(now), ...Object.keys(ref.original), ...Object.keys(ref.output)])) {
    const allowed = [ref.original[rel], ref.output[rel]];
    if (!allowed.includes(now[rel])) {
      problems.push(`${rel}: ${now[rel] === undefined ? 'missing' : ref.original[rel] === undefined && ref.output[rel] === undefined ? 'unexpected file' : 'neither old nor new'}`);
    }
  }
  problems.push(...unitProblems(dir, now, ref));
  const originals = path.join(dir, '.remaster', 'originals');
  if (fs.existsSync(originals)) {
    for (const [rel, hash] of Object.entries(hashTree(originals))) {
      if (isAtomicTempName(path.posix.basename(rel))) continue; // an interrupted copy; swept by the next run
      if (ref.original[rel] !== hash) problems.push(`.remaster/originals/${rel}: not the original`);
    }
  }
  const state = path.join(dir, '.remaster', 'state.json');
  if (fs.existsSync(state)) {
    try {
      JSON.parse(fs.readFileSync(state, 'utf8'));
    } catch {
      problems.push('.remaster/state.json: not valid JSON');
    }
  }
  return problems;
}

/**
 * Each .gltf must read the buffers it was written with: an old .gltf its original .bin, a new one its
 * new .bin (never the old .gltf reading a new .bin after a kill between the two writes).
 */
function unitProblems(dir: string, now: Record<string, string>, ref: Reference): string[] {
  const problems: string[] = [];
  for (const rel of Object.keys(now).filter((r) => r.endsWith('.gltf'))) {
    const side = now[rel] === ref.output[rel] ? ref.output : now[rel] === ref.original[rel] ? ref.original : null;
    if (!side) continue; // reported above
    const json = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8'));
    for (const buffer of json.buffers ?? []) {
      if (!buffer.uri || buffer.uri.startsWith('data:')) continue;
      const bin = path.posix.join(path.posix.dirname(rel), buffer.uri);
      if (now[bin] !== side[bin]) problems.push(`${rel}: reads ${bin}, which is not the .bin it was written with`);
    }
  }
  return problems;
}

/** After kills: one more run must succeed and leave exactly the reference output, originals intact. */
export function checkCompletes(dir: string, ref: Reference): string[] {
  const r = cli(['run', dir, ...runExtraArgs]);
  const problems: string[] = [];
  if (r.code !== 0) problems.push(`run after kills: exit ${r.code}: ${r.stdout.split('\n').filter((l) => l.startsWith('failed')).join('; ')}${r.stderr}`);
  const now = projectFiles(dir);
  for (const rel of new Set([...Object.keys(now), ...Object.keys(ref.output)])) {
    if (now[rel] !== ref.output[rel]) problems.push(`${rel}: after completing, ${now[rel] === undefined ? 'missing' : ref.output[rel] === undefined ? 'unexpected file' : 'differs from the reference output'}`);
  }
  const originals = hashTree(path.join(dir, '.remaster', 'originals'));
  for (const [rel, hash] of Object.entries(originals)) if (ref.original[rel] !== hash) problems.push(`.remaster/originals/${rel}: not the original`);
  return problems;
}

export interface KillSummary {
  /** Kills that landed while the run was still working (the ones that count). */
  killPoints: number;
  /** Kills attempted, including those that came after the run had already finished. */
  attempts: number;
  series: number;
  problems: string[];
}

/**
 * Kills until `points` of them have landed mid-run, in series of up to `perSeries` on a fresh copy of
 * the template: each at a random moment between startup and the end of an unkilled run, the project
 * checked after every kill. A series ends early when a run finished before its kill (nothing left to
 * interrupt), and every series ends with a completing run compared with the reference.
 */
export async function killSeries(template: string, work: string, ref: Reference, points: number, perSeries: number, random: () => number): Promise<KillSummary> {
  const summary: KillSummary = { killPoints: 0, attempts: 0, series: 0, problems: [] };
  let lo = Math.max(0.05, ref.firstAssetSeconds * 0.7) * 1000;
  let hi = ref.seconds * 1000;
  while (summary.killPoints < points && summary.attempts < points * 6) {
    fs.rmSync(work, { recursive: true, force: true });
    fs.cpSync(template, work, { recursive: true });
    summary.series++;
    // Each killed run leaves less work to the next one, so its kill is drawn from a shorter window
    // (what the reference run had left after the previous kill); otherwise later kills of a series
    // mostly land after the run has finished (seen on a loaded CI machine with the short shard run).
    let seriesHi = hi;
    for (let k = 0; k < perSeries && summary.killPoints < points; k++) {
      const delay = Math.round(lo + random() * (seriesHi - lo));
      const { midRun, finishedMs } = await killAfter(work, delay);
      summary.attempts++;
      if (midRun) summary.killPoints++;
      summary.problems.push(...checkAfterKill(work, ref).map((p) => `kill ${summary.attempts} at ${delay} ms: ${p}`));
      // A whole run (the first of a series) that ended before its kill: the machine is faster now than
      // when the reference was timed (load dropped); the window shrinks to its pace, or kills keep missing.
      if (!midRun && k === 0 && finishedMs !== undefined && finishedMs < hi) {
        lo *= finishedMs / hi;
        hi = finishedMs;
      }
      if (!midRun) break;
      seriesHi = Math.max(lo + 0.25 * (hi - lo), seriesHi - (delay - lo));
    }
    summary.problems.push(...checkCompletes(work, ref).map((p) => `series ${summary.series}: ${p}`));
  }
  return summary;
}

/** Seeded PRNG (the project's mulberry32) so a failing kill schedule can be replayed from its seed. */
export { seededRandom } from '../../plugin/metrics/texture-stats/seeded-random';
