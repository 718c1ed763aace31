/**
 * What a model's probes found (its scale, whether it runs batches), known without running them for
 * the models Remaster ships: `models/probe-results.json` lists them by the SHA-256 of the model
 * file's bytes, so a changed, retrained or replaced file (whatever its name) is probed again, and a
 * copy of a shipped model elsewhere is known. The table is read-only at run time, part of the package
 * (nothing is written on the user's machine); `test/engine-probe-cache.test.ts` fails when it no
 * longer matches a fresh probe of every shipped model, and says how to regenerate it:
 *
 *   npm run build && node dist/plugin/engine/probe-cache.js --write
 *
 * Probing costs three small runs at each model load (measured 20-45 ms of a `remaster upscale`).
 * The table holds CPU results; other devices probe (a provider may treat batches differently).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Device } from './device';
import { modelsDir } from './model-source';

/** The probed facts of a model (see onnx-model.ts probeScale / probeBatch). */
export interface ProbeResult {
  scale: number;
  batch: boolean;
}

interface ProbeTable {
  about: string;
  /** SHA-256 (hex) of the model file -> its shipped name and probe result on CPU. */
  models: Record<string, ProbeResult & { name: string }>;
}

export const PROBE_TABLE_FILE = 'probe-results.json';

/** SHA-256 of a model file's bytes, hex. */
export function modelDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let table: ProbeTable['models'] | undefined;

/** The shipped table (empty when missing or unreadable: every model is then probed, as before). */
function shippedTable(): ProbeTable['models'] {
  if (!table) {
    try {
      table = (JSON.parse(fs.readFileSync(path.join(modelsDir(), PROBE_TABLE_FILE), 'utf8')) as ProbeTable).models ?? {};
    } catch {
      table = {};
    }
  }
  return table;
}

/** The recorded probe result for these model bytes on `device`, or undefined (probe it). */
export function knownProbe(digest: string, device: Device): ProbeResult | undefined {
  if (device !== 'cpu') return undefined;
  const hit = shippedTable()[digest];
  return hit && Number.isInteger(hit.scale) && typeof hit.batch === 'boolean' ? { scale: hit.scale, batch: hit.batch } : undefined;
}

/** The shipped super-resolution models (models/*.onnx), whose probes the table records. */
export function shippedModelFiles(): string[] {
  const dir = modelsDir();
  return fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort().map((f) => path.join(dir, f));
}

/** Probes every shipped model afresh on CPU: the table's content. */
export async function freshProbeTable(): Promise<ProbeTable> {
  const { loadModel } = await import('./onnx-model');
  const models: ProbeTable['models'] = {};
  for (const file of shippedModelFiles()) {
    const m = await loadModel(file, path.basename(file, '.onnx'), 'cpu', () => undefined, undefined, 1, { useKnownProbes: false });
    try {
      models[modelDigest(fs.readFileSync(file))] = { name: m.label, scale: m.info.scale, batch: m.info.batch };
    } finally {
      await m.release();
    }
  }
  return { about: 'Probe results of the shipped models by SHA-256 of the file (see plugin/engine/probe-cache.ts); regenerate: npm run build && node dist/plugin/engine/probe-cache.js --write', models };
}

if (require.main === module && process.argv[2] === '--write') {
  freshProbeTable().then(
    (t) => {
      const file = path.join(modelsDir(), PROBE_TABLE_FILE);
      fs.writeFileSync(file, `${JSON.stringify(t, null, 2)}\n`);
      console.log(`wrote ${file} (${Object.keys(t.models).length} models)`);
    },
    (err) => { console.error(`probe table: ${(err as Error).message}`); process.exitCode = 1; },
  );
}
