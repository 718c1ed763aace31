/** The Khronos glTF validator on a model file (external resources read beside it), and its error counts. */
import fs from 'node:fs';
import path from 'node:path';

export interface ValidationReport {
  issues: { numErrors: number; messages: { code: string; severity: number; message: string; pointer?: string }[] };
}

// gltf-validator ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validator: { validateBytes(data: Uint8Array, options: object): Promise<ValidationReport> } = require('gltf-validator');

export async function validate(file: string): Promise<ValidationReport> {
  return validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
    uri: path.basename(file),
    maxIssues: 0,
    writeTimestamp: false,
    externalResourceFunction: async (uri: string) => new Uint8Array(fs.readFileSync(path.join(path.dirname(file), decodeURIComponent(uri)))),
  });
}

/** Error codes with their counts (pointers may move when a model is rewritten). */
export function errorCounts(report: ValidationReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of report.issues.messages) if (m.severity === 0) counts[m.code] = (counts[m.code] ?? 0) + 1;
  return counts;
}
