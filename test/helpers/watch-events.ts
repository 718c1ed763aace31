import type { ProjectWatcher, WatchEvent } from '../../plugin/watch';

/**
 * The watcher's next event matching `pred`; rejects after `ms` with every event recorded so far in
 * `events` (the caller's log), so a timed-out test shows what the watcher did instead.
 */
export function nextEvent(watcher: ProjectWatcher, events: readonly WatchEvent[], pred: (e: WatchEvent) => boolean, ms: number): Promise<WatchEvent> {
  return new Promise<WatchEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; events so far:\n${events.map((e) => JSON.stringify(e)).join('\n')}`)), ms);
    const listener = (e: WatchEvent) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      watcher.off('event', listener);
      resolve(e);
    };
    watcher.on('event', listener);
  });
}
