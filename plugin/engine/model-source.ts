/**
 * Where a model string points: 'lanczos', a shipped model name (models/<name>.onnx inside the
 * package, found from this file's location so the current directory does not matter), or a path to
 * a user's .onnx file (relative to the project root).
 */

import fs from 'node:fs';
import path from 'node:path';

export type ModelSource =
  | { kind: 'lanczos' }
  | { kind: 'onnx'; /** Absolute file path. */ file: string; /** Short name for engine ids and logs. */ label: string; shipped: boolean };

let packageRootCache: string | undefined;

/** The directory holding Remaster's package.json (works from plugin/ sources and from dist/). */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'remaster') {
      return (packageRootCache = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the remaster package root above ${__dirname}`);
    dir = parent;
  }
}

/** The folder of shipped models. */
export function modelsDir(): string {
  return path.join(packageRoot(), 'models');
}

/** Names of the shipped models (models/*.onnx without extension). */
export function shippedModels(): string[] {
  const dir = modelsDir();
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
}

/** A model string looks like a path when it has a separator or a file extension. */
export function looksLikePath(model: string): boolean {
  return model.includes('/') || model.includes('\\') || /\.[a-z0-9]+$/i.test(model);
}

/**
 * Resolves a model string; throws a one-line error for an unknown name or a missing file.
 * With `confine`, a model path must stay inside `projectRoot` (symlinks followed): a rule or sidecar
 * that ships with an asset must not make Remaster read files from elsewhere on the machine.
 */
export function resolveModel(model: string, projectRoot: string = process.cwd(), confine = false): ModelSource {
  if (model === 'lanczos') return { kind: 'lanczos' };
  if (!model) throw new Error('empty model name');
  if (!looksLikePath(model)) {
    const file = path.join(modelsDir(), `${model}.onnx`);
    if (!fs.existsSync(file)) {
      const known = ['lanczos', ...shippedModels()].join(', ');
      throw new Error(`unknown model "${model}" (known: ${known}; or give a path to an .onnx file)`);
    }
    return { kind: 'onnx', file, label: model, shipped: true };
  }
  const file = path.resolve(projectRoot, model);
  if (!fs.existsSync(file)) throw new Error(`model file not found: ${file}`);
  if (!fs.statSync(file).isFile()) throw new Error(`model path is not a file: ${file}`);
  if (confine && !isInside(fs.realpathSync(projectRoot), fs.realpathSync(file))) {
    throw new Error(`model file ${model} is outside the project; copy it into the project (e.g. models/)`);
  }
  return { kind: 'onnx', file, label: path.basename(file), shipped: false };
}

/**
 * The model a command uses when none is named: the shipped fast model for that scale
 * (models/remaster-x<scale>-fast.onnx), or Lanczos when it is not installed.
 */
export function defaultModel(scale: number): string {
  const name = `remaster-x${scale}-fast`;
  return shippedModels().includes(name) ? name : 'lanczos';
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
