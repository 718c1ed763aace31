/**
 * Where a worker thread's compiled script is: beside the module that starts it when that module runs from
 * dist/, else the same place under the package's dist/ (the module loaded from .ts sources, as under ts-jest,
 * whose global setup builds dist/ first). Undefined when neither exists.
 *
 * @example
 * const file = compiledWorker(__dirname, 'vary-worker.js'); // dist/plugin/ops/vary/vary-worker.js
 */

import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './model-source';

export function compiledWorker(moduleDir: string, file: string): string | undefined {
  const beside = path.join(moduleDir, file);
  if (fs.existsSync(beside)) return beside;
  const root = packageRoot();
  const built = path.join(root, 'dist', path.relative(root, moduleDir), file);
  return fs.existsSync(built) ? built : undefined;
}
