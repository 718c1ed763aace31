/**
 * V8 garbage-collector setting for `remaster run`: no incremental marking, so the old generation is
 * collected when it is full, not whenever it comes near its limit.
 *
 * Why (issue 13, `remaster run` ÷ summed engine time): a run keeps V8's heap small (~12 MB) while it
 * moves hundreds of MB of pixels through ArrayBuffers, and V8 counts the external memory allocated
 * since the last full collection against that small heap's limit. On a 40-texture project the main
 * thread started incremental marking again right after each full collection finished: 15-23 full
 * collections per run (none with the engine alone), ~1 s of main-thread CPU taken from inference on a
 * 2-core machine. With this setting: 1-3 per run; `remaster run` of 40 textures 0.86-0.97x the time
 * (median 0.94x, alternated with the build before), run ÷ summed engine 1.34-1.46 -> 1.14-1.30 in the
 * bench (table in plugin/engine/README.md).
 * The limits are V8's own, so peak memory is not raised; the price is that a full collection, when it
 * comes, pauses the thread for all of its marking instead of in steps: tens of ms at a run's heap, 64-133
 * ms measured at 75-180 MB. Fine for a batch run (5,000 tiny assets: 2.66 -> 2.44 ms per asset outside the
 * engine); not set for `remaster watch`, whose big project indexes and latency target want short pauses.
 *
 * Set at run time with v8.setFlagsFromString (measured to take effect on Node 20: V8 checks the flag each
 * time it would start marking); the alternative, `--initial-old-space-size` on the command line, needs a
 * second process. Process-wide, so the library does not set it by itself: the CLI does, for `run`, and
 * an embedding application may call tuneGarbageCollection() the same way.
 *
 * @example
 * import { tuneGarbageCollection } from 'remaster';
 * tuneGarbageCollection(); // before a long remasterProject()
 */
import v8 from 'node:v8';

/** The V8 flag this sets. */
export const GC_TUNING_FLAG = '--no-incremental-marking';

/** Whether the user chose incremental marking themselves (their choice is kept). */
function userChose(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((a) => /^--(no-)?incremental[-_]marking$/.test(a));
}

let applied: boolean | undefined;

/**
 * Turns V8's incremental marking off for this process (once; not where the user's own node flags name
 * incremental marking). Returns whether the setting is in effect.
 */
export function tuneGarbageCollection(): boolean {
  if (applied === undefined) {
    applied = !userChose();
    if (applied) v8.setFlagsFromString(GC_TUNING_FLAG);
  }
  return applied;
}
