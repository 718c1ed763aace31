/**
 * What a client and a server compare before a job is handed over, so that a server started from
 * another build (a `npm run build` since, another checkout, another Node) is never used — the client
 * then runs the job itself.
 *
 * Two parts, because the full fingerprint costs a cold client ~10-30 ms (stat of ~250 modules), ~5 % of
 * a 512² call:
 * - the client sends {@link clientIdentity}: the protocol, the package version, the package root and
 *   Node, and the size and mtime of the server modules it has itself just loaded (<1 ms). `npm run build`
 *   rewrites every module, so a full rebuild since the server started is seen here, with no race;
 * - the server keeps {@link BuildFingerprint} of every compiled module of the plugin, the shipped models
 *   and the native libraries' manifests, and watches them: a hello after any change recomputes it, and a
 *   server whose build is no longer the one on disk refuses (and stops). That covers partial rebuilds
 *   (`tsc --watch` rewrites only what changed).
 *
 * Only node built-ins here: the client computes its part before loading anything heavy.
 */
import { readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../engine/model-source';

/** Bumped when the frames of protocol.ts change meaning. */
export const PROTOCOL_VERSION = 1;

export interface BuildIdentity {
  protocol: number;
  /** package.json `version`. */
  version: string;
  /** The package root, Node's version and its module ABI, and the server modules' sizes and mtimes, as one string. */
  build: string;
}

/** The compiled plugin folder (dist/plugin, or plugin/ under ts-jest). */
const PLUGIN_DIR = path.dirname(__dirname);
const PACKAGE_ROOT = packageRoot();
const MODULE = /\.(js|ts)$/;

/** This build's identity, as a client sends it and a server answers with it. */
export function clientIdentity(): BuildIdentity {
  // Sent as it is, not hashed: a few hundred bytes, and node:crypto would cost the client ~5 ms to load.
  const build = `${PACKAGE_ROOT}|node ${process.version} abi ${process.versions.modules}|${stamp(__dirname, false)}`;
  return { protocol: PROTOCOL_VERSION, version: packageVersion(), build };
}

/** Whether two identities are the same build speaking the same protocol. */
export function sameBuild(a: BuildIdentity, b: Partial<BuildIdentity> | undefined): boolean {
  return !!b && a.protocol === b.protocol && a.version === b.version && a.build === b.build;
}

/**
 * The server's view of its build on disk: fingerprinted when made, then watched; `changed()` says
 * whether the files differ from that fingerprint now (recomputed only after a change was seen, or on
 * every call where the folders cannot be watched).
 */
export class BuildFingerprint {
  private readonly initial = fingerprint();
  private dirty = false;
  private gone = false;
  private readonly watchers: FSWatcher[] = [];

  constructor() {
    for (const [dir, recursive] of [[PLUGIN_DIR, true], [path.join(PACKAGE_ROOT, 'models'), true]] as const) {
      try {
        const watcher = watch(dir, { recursive, persistent: false }, () => (this.dirty = true));
        watcher.on('error', () => (this.dirty = this.gone = true));
        this.watchers.push(watcher);
      } catch {
        this.gone = true; // not watchable here: every hello recomputes
      }
    }
  }

  changed(): boolean {
    // The native libraries' manifests are two stats: checked every time rather than watched in node_modules.
    if (libraries() !== this.initial.libraries) return true;
    if (!this.dirty && !this.gone) return false;
    this.dirty = false;
    return fingerprint().modules !== this.initial.modules;
  }

  close(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }
}

function fingerprint(): { modules: string; libraries: string } {
  return { modules: `${stamp(PLUGIN_DIR, true)}|${stamp(path.join(PACKAGE_ROOT, 'models'), true, /\.onnx$/)}`, libraries: libraries() };
}

function libraries(): string {
  return ['onnxruntime-node', 'sharp'].map((lib) => describeFile(path.join(PACKAGE_ROOT, 'node_modules', lib, 'package.json'))).join('\0');
}

function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown'; // the hashes still tell builds apart
  }
}

/** `name size:mtime` of each matching file under `dir`, sorted, as one string. */
function stamp(dir: string, recursive: boolean, pattern = MODULE): string {
  let files: string[];
  try {
    files = readdirSync(dir, { recursive, withFileTypes: true }).filter((e) => e.isFile() && pattern.test(e.name)).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return 'none';
  }
  return files.sort().map((file) => `${path.relative(dir, file)} ${describeFile(file)}`).join(',');
}

function describeFile(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}` : 'none';
}
