/**
 * Validates parsed config/sidecar JSON against the schema of the registered operations (the same the
 * published pipeline-config/remaster.schema.json holds) and turns ajv's errors into one
 * `file: path.to.key: what is wrong` line.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { registryGeneration } from '../ops/registry';
import { assertDepth, globProblem } from './bounds';
import { ConfigError } from './errors';
import { buildSchema } from './schema';
import type { RemasterConfig } from './types';

let compiled: { generation: number; validate: ValidateFunction<RemasterConfig> } | null = null;

/** The compiled schema, rebuilt when an operation is registered or removed. */
function schemaValidator(): ValidateFunction<RemasterConfig> {
  if (compiled?.generation !== registryGeneration()) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    compiled = { generation: registryGeneration(), validate: ajv.compile<RemasterConfig>(buildSchema()) };
  }
  return compiled.validate;
}

/** Throws ConfigError unless `data` is a valid config; `sidecar` additionally forbids `match`. */
export function validateConfig(data: unknown, file: string, sidecar = false): RemasterConfig {
  assertDepth(data, file); // before ajv, which recurses
  const validateSchema = schemaValidator();
  if (!validateSchema(data)) {
    throw new ConfigError(`${file}: ${describe(pickError(validateSchema.errors ?? []))}`);
  }
  if (sidecar && data.cache !== undefined) throw new ConfigError(`${file}: cache: not allowed in a sidecar (set it in the project config)`);
  if (data.cache?.dir.includes('\0')) throw new ConfigError(`${file}: cache.dir: NUL is not allowed in a path`);
  if (sidecar && data.limits !== undefined) throw new ConfigError(`${file}: limits: not allowed in a sidecar (set it in the project config)`);
  if (sidecar) {
    const i = data.rules.findIndex((rule) => rule.match !== undefined);
    if (i >= 0) throw new ConfigError(`${file}: rules.${i}.match: not allowed in a sidecar (its rules apply to its asset)`);
  }
  data.rules.forEach((rule, i) => {
    if (rule.match === undefined) return;
    const globs = ([] as string[]).concat(rule.match);
    globs.forEach((glob, j) => {
      const problem = globProblem(glob);
      if (problem) throw new ConfigError(`${file}: rules.${i}.match${Array.isArray(rule.match) ? `.${j}` : ''}: ${problem}`);
    });
  });
  return data;
}

/**
 * With oneOf (e.g. `upscale: false | {...}`) ajv reports every branch's failure; the most useful one is
 * the deepest, and among equals one that is not the generic oneOf/const/type summary.
 */
function pickError(errors: ErrorObject[]): ErrorObject {
  const generic = new Set(['oneOf', 'const']);
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  return [...errors].sort((a, b) => depth(b) - depth(a) || Number(generic.has(a.keyword)) - Number(generic.has(b.keyword)))[0];
}

function describe(e: ErrorObject): string {
  const path = e.instancePath.split('/').slice(1).join('.');
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at(String(e.params.additionalProperty))}: unknown key`;
    case 'required':
      return `${at(String(e.params.missingProperty))}: required`;
    case 'enum':
      return `${path || '(root)'}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(e))}`;
    default:
      return `${path || '(root)'}: ${e.message ?? 'invalid'}`;
  }
}

function valueAt(e: ErrorObject): unknown {
  return (e as ErrorObject & { data?: unknown }).data;
}
