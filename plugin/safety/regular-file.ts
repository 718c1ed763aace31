/**
 * Reads a file only if it is a regular file. A FIFO, socket or device in a project (as an image, a
 * .bin, a sidecar or a config) would otherwise block a read forever (a FIFO with no writer, holding
 * the project lock and one of libuv's few I/O threads) or never end (/dev/zero). The check is made on
 * the open descriptor, so a file swapped for a FIFO between a directory listing and the read is caught
 * too; O_NONBLOCK makes the open itself return at once for a FIFO.
 *
 *   const bytes = await readRegularFile('/p/wall.png'); // Buffer, or null when there is no such file
 */
import { closeSync, constants, fstatSync, openSync, promises as fs, readSync, type Stats } from 'node:fs';

export class NotRegularFileError extends Error {
  override name = 'NotRegularFileError';
}

export interface ReadRegularOptions {
  /** Refuse a file larger than this many bytes (before reading it). */
  maxBytes?: number;
}

/**
 * Files up to this size are read with synchronous calls: a project of 100k tiny textures reads each
 * several times, and open + fstat + read + close through libuv's thread pool cost tens of microseconds
 * each in round trips where the calls themselves take a few. Larger files go through the pool, so a
 * big read never holds up the event loop.
 */
export const SMALL_FILE_BYTES = 64 << 10;

/** The file's bytes; null if it does not exist. Throws a one-line error for anything but a regular file. */
export async function readRegularFile(file: string, options: ReadRegularOptions = {}): Promise<Buffer | null> {
  const small = readSmallRegularFile(file, options);
  if (small !== 'large') return small;
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

/** readRegularFile with synchronous calls, the same checks; 'large' (nothing read) when over SMALL_FILE_BYTES. */
function readSmallRegularFile(file: string, options: ReadRegularOptions): Buffer | null | 'large' {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(`not a regular file (${describeType(stat)}); only regular files are read`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw new Error(`too large (${stat.size} bytes, at most ${options.maxBytes})`);
    }
    if (stat.size > SMALL_FILE_BYTES) return 'large';
    // The size seen, into a buffer of its own (as readFile gives), then on to the end: a file growing
    // meanwhile is read whole, as readFile does.
    const chunks: Buffer[] = [Buffer.allocUnsafeSlow(stat.size)];
    let total = 0;
    while (total < stat.size) {
      const n = readSync(fd, chunks[0], total, stat.size - total, null);
      if (n === 0) return chunks[0].subarray(0, total); // shrank meanwhile
      total += n;
    }
    for (;;) {
      const more = Buffer.allocUnsafeSlow(SMALL_FILE_BYTES);
      const n = readSync(fd, more, 0, more.length, null);
      if (n === 0) break;
      chunks.push(more.subarray(0, n));
      total += n;
      if (options.maxBytes !== undefined && total > options.maxBytes) throw new Error(`too large (over ${options.maxBytes} bytes)`);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
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
