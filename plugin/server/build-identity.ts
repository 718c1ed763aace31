/**
 * What a client and a server compare before a job is handed over: the protocol, the package version,
 * and a fingerprint of the build itself, so a server started from an older build (a `npm run build`
 * since, another checkout, another Node) is never used — the client then runs the job itself.
 *
 * The fingerprint is a hash over the name, size and modification time of every compiled module of the
 * plugin (tsc rewrites them all on each build), of the shipped models, and of the native libraries'
 * manifests, with the package root and the Node version: ~1-3 ms of stat calls, where hashing the
 * contents (4 MB) would cost a client call ~10 ms.
 *
 * Only node built-ins here: the client computes this before loading anything heavy.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bumped when the frames of protocol.ts change meaning. */
export const PROTOCOL_VERSION = 1;

export interface BuildIdentity {
  protocol: number;
  /** package.json `version`. */
  version: string;
  /** Hex fingerprint of this build (see above). */
  build: string;
}

/** This build's identity. `pluginDir` is the compiled plugin folder (dist/plugin, or plugin/ under ts-jest). */
export function buildIdentity(pluginDir: string = path.dirname(__dirname)): BuildIdentity {
  const root = path.dirname(path.basename(pluginDir) === 'plugin' && path.basename(path.dirname(pluginDir)) === 'dist' ? path.dirname(pluginDir) : pluginDir);
  const hash = createHash('sha1');
  hash.update(`${root}\0${process.version}\0${process.versions.modules}\0`);
  let version = 'unknown';
  try {
    version = String(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  } catch {
    // not found: 'unknown', and the fingerprint still tells builds apart
  }
  hash.update(`${version}\0`);
  stamp(hash, pluginDir, /\.(js|ts)$/);
  stamp(hash, path.join(root, 'models'), /\.onnx$/);
  for (const lib of ['onnxruntime-node', 'sharp']) stampFile(hash, path.join(root, 'node_modules', lib, 'package.json'));
  return { protocol: PROTOCOL_VERSION, version, build: hash.digest('hex').slice(0, 20) };
}

/** Whether two identities are the same build speaking the same protocol. */
export function sameBuild(a: BuildIdentity, b: Partial<BuildIdentity> | undefined): boolean {
  return !!b && a.protocol === b.protocol && a.version === b.version && a.build === b.build;
}

function stamp(hash: ReturnType<typeof createHash>, dir: string, pattern: RegExp): void {
  let files: string[];
  try {
    // With file types: ~2x faster than names alone here (no stat per entry to tell folders apart).
    files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && pattern.test(e.name)).map((e) => path.join(e.parentPath, e.name));
  } catch {
    hash.update(`${dir}: none\0`);
    return;
  }
  for (const file of files.sort()) stampFile(hash, file, path.relative(dir, file));
}

function stampFile(hash: ReturnType<typeof createHash>, file: string, name = file): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  hash.update(stat ? `${name}\0${stat.size}\0${stat.mtimeMs}\0` : `${name}: none\0`);
}
