/** User-given paths (CLI arguments, `paths` options) as project-relative POSIX paths. */
import path from 'node:path';
import { ConfigError } from '../config/errors';

/** `p` relative to `root` (or absolute) → project-relative POSIX path; '' is the root itself. */
export function toProjectPath(root: string, p: string): string {
  const rel = path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) throw new ConfigError(`${p}: not inside the project ${root}`); // bad usage: exit 2
  return rel;
}

/** Whether the wanted path is `rel` itself or a folder containing it. */
export function covers(wanted: string, rel: string): boolean {
  return wanted === '' || rel === wanted || rel.startsWith(wanted.endsWith('/') ? wanted : wanted + '/');
}
