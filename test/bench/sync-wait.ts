import { promises as fs } from 'node:fs';

/**
 * Time spent waiting in fsync / fdatasync (FileHandle.sync / datasync, which every durable write here
 * goes through), summed; with `off` they return at once (used only to build a big project's state
 * faster before a measurement: what a no-op run or a watcher reads does not depend on whether the
 * setup run's writes were durable; no first-run figure is printed for such a run).
 */
export const syncWait = { ns: 0n, calls: 0, off: false };

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
      try {
        return await inner.call(this);
      } finally {
        syncWait.ns += process.hrtime.bigint() - t0;
        syncWait.calls++;
      }
    };
  }
}
