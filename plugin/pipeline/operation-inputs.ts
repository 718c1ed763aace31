/**
 * Content hashes of the project files operations' rule values name (`OperationCommon.inputFiles`, e.g.
 * a style reference image), for the asset fingerprint: replacing such a file re-derives the assets its
 * rules apply to. Files that are missing or resolve outside the project hash as null (the pre-flight
 * check reports them; nothing outside the project is ever read).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourcedRule } from '../config/types';
import { listOperations } from '../ops/registry';
import { hashBytes } from '../state/hash';

export function operationInputHashes(root: string, rules: SourcedRule[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const { op, file } of ruleInputFiles(rules)) out[`${op}:${file}`] ??= projectFileHash(root, file);
  return out;
}

/** The files rule values name (as written, relative to the project root), with the operation naming each. */
export function ruleInputFiles(rules: Pick<SourcedRule, 'rule'>[]): { op: string; file: string }[] {
  const out: { op: string; file: string }[] = [];
  for (const op of listOperations()) {
    if (!op.inputFiles) continue;
    for (const { rule } of rules) {
      const value = (rule as Record<string, unknown>)[op.key];
      if (value === undefined || value === false) continue;
      for (const file of op.inputFiles(value)) out.push({ op: op.key, file });
    }
  }
  return out;
}

function projectFileHash(root: string, rel: string): string | null {
  try {
    const real = fs.realpathSync(path.resolve(root, rel));
    const inside = path.relative(fs.realpathSync(root), real);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
    return hashBytes(fs.readFileSync(real));
  } catch {
    return null;
  }
}
