/**
 * Which paths watch mode never looks at: dot-names (which include .remaster/, .git/, our own atomic
 * writes' `.<name>.<hex>.tmp` and editors' `.goutputstream-*`, `.#lock`, `.swp`), node_modules, and the
 * temp/partial names editors, exporters and browsers write before renaming into place. The rename
 * itself is the event that counts.
 */
import path from 'node:path';

const SKIPPED_NAMES = new Set(['node_modules']);

/** Temp/lock/partial-download names of common editors, exporters and browsers. */
const TEMP_FILE = /(\.(tmp|temp|part|partial|crdownload|download|swp|swx|swo|bak)$)|~$|^#.*#$|^4913$/i;

/** Whether a project-relative POSIX path (file or folder) is outside what watch mode reacts to. */
export function isIgnoredPath(rel: string): boolean {
  if (rel === '') return false;
  const parts = rel.split('/');
  if (parts.some((p) => p.startsWith('.') || SKIPPED_NAMES.has(p))) return true;
  return TEMP_FILE.test(parts[parts.length - 1]);
}

/** Project-relative POSIX path of an absolute path, or null when it is outside the root. */
export function toRel(root: string, abs: string): string | null {
  const rel = path.relative(root, abs);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}
