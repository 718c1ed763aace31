/**
 * Running a run's assets a few at a time. Inference runs on onnxruntime's own threads and decoding /
 * encoding on libuv's, so while one asset is in the model another can be read, decoded, encoded,
 * hashed and written. What must stay one at a time stays so: commits (see `Serial`), and any two
 * assets that share a file (a .gltf pair using one image) or a map family (see shared-keys.ts): the
 * later one waits for the earlier, so it reads what a one-by-one run would have left there and the
 * outcome does not depend on timing.
 */

/** Runs one async section at a time, in call order (state.json saves must never interleave). */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export interface ScheduleOptions<T, R> {
  /** Most tasks running at once (>= 1). */
  limit: number;
  /** Once aborted no further task starts; those running finish, then the schedule throws. */
  signal?: AbortSignal;
  /** What an item uses (file paths): an item waits for every earlier one sharing any of them. */
  uses(item: T): string[];
  /**
   * The work for one item; should not throw (a rejection is rethrown once nothing is running).
   * `freeSlot()` lets another item start while this one goes on waiting (for its commit group): it
   * no longer counts against `limit`, but items that wait for it still wait until it is done.
   */
  run(item: T, index: number, freeSlot: () => void): Promise<R>;
  /** Each result, in list order, as soon as it and every earlier one are in. */
  done(item: T, result: R, index: number): void;
}

export function runScheduled<T, R>(items: T[], options: ScheduleOptions<T, R>): Promise<void> {
  const limit = Math.max(1, Math.floor(options.limit));
  // Earlier items each one must wait for (the last user of each thing it uses suffices: that one
  // waited for the users before it). Waiting holds no slot: later free items may go first.
  const lastUser = new Map<string, number>();
  const deps = items.map((item, i) => {
    const uses = new Set(options.uses(item));
    const before = [...uses].flatMap((use) => (lastUser.has(use) ? [lastUser.get(use)!] : []));
    for (const use of uses) lastUser.set(use, i);
    return before;
  });
  const status = items.map((): 'waiting' | 'running' | 'done' => 'waiting');
  const results = new Map<number, R>();
  let running = 0; // holding a slot
  let unfinished = 0; // started, not done (slot freed or not)
  let reported = 0;
  let firstWaiting = 0;
  let failure: { error: unknown } | null = null;

  return new Promise<void>((resolve, reject) => {
    const report = (upTo: number) => {
      for (; reported < upTo; reported++) {
        if (results.has(reported)) options.done(items[reported], results.get(reported)!, reported);
      }
    };
    const pump = () => {
      const stopping = () => Boolean(options.signal?.aborted || failure);
      // The earliest ready item gets a freed slot, so limit 1 is exactly list order.
      while (firstWaiting < items.length && status[firstWaiting] !== 'waiting') firstWaiting++;
      for (let i = firstWaiting; !stopping() && running < limit && i < items.length; i++) {
        if (status[i] === 'waiting' && deps[i].every((j) => status[j] === 'done')) start(i);
      }
      if (unfinished > 0) return;
      try {
        report(items.length); // stopped early: what did finish (and was written) is still reported
      } catch (error) {
        failure ??= { error };
      }
      if (failure) reject(failure.error);
      else if (results.size < items.length && options.signal?.aborted) reject(options.signal.reason);
      else resolve();
    };
    const start = (i: number) => {
      status[i] = 'running';
      running++;
      unfinished++;
      let holding = true;
      const freeSlot = () => {
        if (!holding) return;
        holding = false;
        running--;
        queueMicrotask(pump); // never inside run()'s own call
      };
      options.run(items[i], i, freeSlot).then(
        (result) => {
          results.set(i, result);
          let end = reported;
          while (results.has(end)) end++;
          report(end);
        },
      ).catch((error: unknown) => {
        failure ??= { error }; // run() should not throw, nor done(); if they do, the schedule does
      }).finally(() => {
        status[i] = 'done';
        if (holding) running--;
        holding = false;
        unfinished--;
        pump();
      });
    };
    pump();
  });
}
