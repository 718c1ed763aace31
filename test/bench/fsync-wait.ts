/**
 * Time spent waiting in fsync / fdatasync (FileHandle.sync / datasync, which every durable write of
 * Remaster goes through), summed over the process, with a switch: with `off` they return at once. Used
 * only to build a big project's state faster for figures that do not depend on whether the first run's
 * writes were durable (a no-op run, watch latency after setup); no first-run figure is printed then.
 *
 *   await instrumentSyncs();
 *   syncWait.off = true;  ...setup...  syncWait.off = false;
 *   console.log(Number(syncWait.ns) / 1e6, 'ms in', syncWait.calls, 'fsyncs');
 */
import { promises as fs } from 'node:fs';

export const syncWait = { ns: 0n, calls: 0, off: false };

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
      try {
        return await inner.call(this);
      } finally {
        syncWait.ns += process.hrtime.bigint() - t0;
        syncWait.calls++;
      }
    };
  }
}
