/**
 * A `style` rule's reference, resolved inside the project: a path relative to the project root that,
 * with symlinks followed, must stay inside it (a rule or sidecar that ships with an asset must not make
 * Remaster read files from elsewhere on the machine), like model paths in plugin/engine/model-source.ts.
 * Decoded references are cached per run by path and content hash.
 */

import fs from 'node:fs';
import path from 'node:path';
import { hashBytes } from '../../state/hash';
import type { RawImage } from '../../types';
import { checkStyleReference, readStyleReference } from './reference';

/** Absolute path of a project reference; throws a one-line error when it is missing or leaves the project. */
export function resolveProjectReference(root: string, reference: string): string {
  if (!reference) throw new Error('empty reference path');
  if (path.isAbsolute(reference)) throw new Error(`reference "${reference}" must be a path relative to the project root`);
  const file = path.resolve(root, reference);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    throw new Error(`reference image not found: ${reference}`);
  }
  const realRoot = fs.realpathSync(root);
  const rel = path.relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`reference ${reference} is outside the project; copy it into the project (e.g. art/)`);
  }
  return real;
}

/** Pre-flight: the reference resolves inside the project and is a usable image (no pixels decoded). */
export async function checkProjectReference(root: string, reference: string): Promise<void> {
  const file = resolveProjectReference(root, reference);
  try {
    await checkStyleReference(file);
  } catch (err) {
    // checkStyleReference names the absolute file; the rule names the project path.
    throw new Error((err as Error).message.replace(`${file}: `, ''));
  }
}

/** sha256 of the reference's bytes (enters the fingerprint of every asset whose rules name it). */
export function projectReferenceHash(root: string, reference: string): string | null {
  try {
    return hashBytes(fs.readFileSync(resolveProjectReference(root, reference)));
  } catch {
    return null;
  }
}

const cache = new Map<string, { hash: string; image: Promise<RawImage> }>();

/** The decoded reference (cached while its bytes are unchanged). */
export async function loadProjectReference(root: string, reference: string): Promise<RawImage> {
  const file = resolveProjectReference(root, reference);
  const hash = hashBytes(fs.readFileSync(file));
  const hit = cache.get(file);
  if (hit && hit.hash === hash) return hit.image;
  const image = readStyleReference(file);
  cache.set(file, { hash, image });
  image.catch(() => cache.delete(file));
  return image;
}
