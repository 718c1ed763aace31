/**
 * Reads a file only if it is a regular file. A FIFO, socket or device in a project (as an image, a
 * .bin, a sidecar or a config) would otherwise block a read forever (a FIFO with no writer, holding
 * the project lock and one of libuv's few I/O threads) or never end (/dev/zero). The check is made on
 * the open descriptor, so a file swapped for a FIFO between a directory listing and the read is caught
 * too; O_NONBLOCK makes the open itself return at once for a FIFO.
 *
 *   const bytes = await readRegularFile('/p/wall.png'); // Buffer, or null when there is no such file
 */
import { constants, promises as fs, type Stats } from 'node:fs';

export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
}

export interface ReadRegularOptions {
  /** Refuse a file larger than this many bytes (before reading it). */
  maxBytes?: number;
}

/** The file's bytes; null if it does not exist. Throws a one-line error for anything but a regular file. */
export async function readRegularFile(file: string, options: ReadRegularOptions = {}): Promise<Buffer | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotRegularFileError(`not a regular file (${describeType(stat)}); only regular files are read`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw new Error(`too large (${stat.size} bytes, at most ${options.maxBytes})`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export function describeType(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a file';
}
