/**
 * Writes the capture's files into DIR all-or-nothing: everything is encoded and written into a fresh
 * temp folder beside DIR first; only when every file is there does it move in (the folder renamed to
 * DIR when DIR does not exist, else each file renamed over its namesake). A failure leaves DIR as it was.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function writeAllOrNothing(dir: string, files: Map<string, Uint8Array | string>): Promise<string[]> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.mkdir(tmp);
  try {
    for (const [name, data] of files) await fs.writeFile(path.join(tmp, name), data);
    const exists = await fs.stat(target).then((s) => {
      if (!s.isDirectory()) throw new Error(`${dir}: exists and is not a folder`);
      return true;
    }, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
    if (!exists) {
      await fs.rename(tmp, target);
    } else {
      for (const name of files.keys()) await fs.rename(path.join(tmp, name), path.join(target, name));
      await fs.rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
  return [...files.keys()].map((f) => path.join(target, f));
}
