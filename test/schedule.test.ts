/** The pipeline's scheduler and its one-at-a-time section, with real timers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { runScheduled, Serial } from '../plugin/pipeline/schedule';

describe('Serial', () => {
  it('runs sections one at a time, in call order, and a failing one does not stop the next', async () => {
    const serial = new Serial();
    const log: string[] = [];
    const section = (name: string, ms: number, fail = false) => serial.run(async () => {
      log.push(`${name}+`);
      await sleep(ms);
      log.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([section('a', 30), section('b', 5, true), section('c', 1)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('runScheduled', () => {
  /** Items with a duration and a group; items of one group conflict. */
  const items = [
    { name: 'a', ms: 40, group: 1 },
    { name: 'b', ms: 5, group: 2 },
    { name: 'c', ms: 5, group: 1 },
    { name: 'd', ms: 5, group: 3 },
    { name: 'e', ms: 5, group: 4 },
  ];

  async function run(limit: number, signal?: AbortSignal, onStart?: (name: string) => void) {
    const log: string[] = [];
    const done: string[] = [];
    let running = 0;
    let most = 0;
    const finished = runScheduled(items, {
      limit,
      signal,
      uses: (x) => [`group ${x.group}`],
      run: async (item) => {
        running++;
        most = Math.max(most, running);
        log.push(`${item.name}+`);
        onStart?.(item.name);
        await sleep(item.ms);
        log.push(`${item.name}-`);
        running--;
        return item.name.toUpperCase();
      },
      done: (item, result, index) => done.push(`${index}:${item.name}:${result}`),
    });
    return { finished, log, done, most: () => most };
  }

  it('runs up to `limit` at once, a conflicting item after the earlier one, results in list order', async () => {
    const r = await run(2);
    await r.finished;
    expect(r.most()).toBe(2);
    expect(r.log.indexOf('c+')).toBeGreaterThan(r.log.indexOf('a-')); // same group as a
    expect(r.log.indexOf('d+')).toBeLessThan(r.log.indexOf('a-')); // free to overtake
    expect(r.done).toEqual(['0:a:A', '1:b:B', '2:c:C', '3:d:D', '4:e:E']);
  });

  it('limit 1 is one after the other', async () => {
    const r = await run(1);
    await r.finished;
    expect(r.log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-', 'd+', 'd-', 'e+', 'e-']);
  });

  it('after an abort nothing more starts; what ran is reported; then it throws', async () => {
    const controller = new AbortController();
    const r = await run(2, controller.signal, (name) => name === 'b' && controller.abort());
    await expect(r.finished).rejects.toThrow(/abort/i);
    expect(r.log).toEqual(['a+', 'b+', 'b-', 'a-']);
    expect(r.done).toEqual(['0:a:A', '1:b:B']);
  });
});
