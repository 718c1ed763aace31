/**
 * Prompt release of tile buffers. Every tile run makes a few large, short-lived ArrayBuffers (the
 * model's output: 11 MB of float for a 237² tile at x4; the input tile; on the inference worker's
 * side onnxruntime's copy of its output). They live outside V8's heap, and V8 collects them only
 * after ~64 MB of them have piled up in each thread: measured +50 MB of peak RSS for x4 of 1024²
 * (issue 13's memory bound is 200 MB + 1.3x the output). A young-generation collection after every
 * `limit` bytes of them frees them at ~1 ms a time, off the inference thread's critical path (the
 * next tile is already computing, see TileGarbage).
 *
 *   const garbage = new TileGarbage();
 *   garbage.add(out.byteLength);   // after a tile's buffer has been handed on
 */
import v8 from 'node:v8';
import vm from 'node:vm';

type Collect = (options?: { type: 'minor' | 'major' }) => void;

let collect: Collect | null | undefined;

/**
 * V8's own collector, without running the whole process with --expose-gc: the flag is turned on
 * just long enough to fetch `gc` from a fresh context (as jest-leak-detector does), then off again.
 * null where that does not work (the buffers are then freed by V8 in its own time, as before).
 */
function collector(): Collect | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as Collect) : null;
    } catch {
      collect = null;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  return collect;
}

/**
 * Default: collect after 1 MB of tile buffers, i.e. after nearly every tile (a 203² x2 tile's output is
 * 2 MB). Measured at x4 of 1024²: 16 MB left 290-310 MB peak RSS, 1 MB 253-280 MB; each collection
 * takes ~1 ms against 50-500 ms of inference per tile.
 */
export const TILE_GARBAGE_LIMIT = 2 ** 20;

/**
 * Counts bytes of tile buffers this thread let go of and collects the young generation past `limit`,
 * in a setImmediate: after the code that reported them has handed the next tile on (the tiler submits
 * tile i+1 before blending tile i; the worker posts its reply first), so the collection never holds
 * up inference.
 */
export class TileGarbage {
  private bytes = 0;
  private scheduled = false;
  /** Young-generation collections run so far (for tests). */
  collections = 0;

  constructor(private readonly limit = TILE_GARBAGE_LIMIT) {}

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes < this.limit || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.bytes = 0;
      const gc = collector();
      if (!gc) return;
      gc({ type: 'minor' });
      this.collections++;
    }).unref();
  }
}
