import { promises as fs } from 'node:fs';

/**
 * Time spent waiting in fsync / fdatasync (FileHandle.sync / datasync, which every durable write here
 * goes through), summed; with `off` they return at once (used only to build a big project's state
 * faster before a measurement: what a no-op run or a watcher reads does not depend on whether the
 * setup run's writes were durable; no first-run figure is printed for such a run).
 *
 * `ns` sums every call's wait (fsyncs side by side, as a commit group makes them, each count in full);
 * `pendingNs` is the wall time during which at least one was pending.
 */
export const syncWait = { ns: 0n, pendingNs: 0n, calls: 0, off: false };

let pending = 0;
let pendingSince = 0n;

let instrumented = false;

/** Wraps FileHandle's sync/datasync (once per process) so that {@link syncWait} counts and can switch them off. */
export async function instrumentSyncs(): Promise<void> {
  if (instrumented) return;
  instrumented = true;
  const handle = await fs.open(__filename, 'r');
  const proto = Object.getPrototypeOf(handle) as { sync: () => Promise<void>; datasync: () => Promise<void> };
  await handle.close();
  for (const name of ['sync', 'datasync'] as const) {
    const inner = proto[name];
    proto[name] = async function (this: unknown) {
      if (syncWait.off) return;
      const t0 = process.hrtime.bigint();
      if (pending++ === 0) pendingSince = t0;
      try {
        return await inner.call(this);
      } finally {
        const t1 = process.hrtime.bigint();
        syncWait.ns += t1 - t0;
        syncWait.calls++;
        if (--pending === 0) syncWait.pendingNs += t1 - pendingSince;
      }
    };
  }
}
