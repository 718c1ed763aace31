/**
 * Time spent waiting in fsync / fdatasync (FileHandle.sync / datasync, which every durable write of
 * Remaster goes through), summed over the process, with a switch: with `off` they return at once. Used
 * only to build a big project's state faster for figures that do not depend on whether the first run's
 * writes were durable (a no-op run, watch latency after setup); no first-run figure is printed then.
 *
 *   await instrumentSyncs();
 *   syncWait.off = true;  ...setup...  syncWait.off = false;
 *   console.log(Number(syncWait.ns) / 1e6, 'ms in', syncWait.calls, 'fsyncs');
 *
 * `ns` sums every call's wait (fsyncs side by side, as a commit group makes them, each count in full);
 * `pendingNs` is the wall time during which at least one was pending.
 */
import { promises as fs } from 'node:fs';

export const syncWait = { ns: 0n, pendingNs: 0n, calls: 0, off: false };

let pending = 0;
let pendingSince = 0n;

let installed = false;

export async function instrumentSyncs(): Promise<void> {
  if (installed) return;
  installed = true;
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
