import type { ProjectWatcher, WatchEvent } from '../../plugin/watch';

/** Resolves with the time (performance.now()) of the next watcher event matching `pred`, and stops listening. */
export function nextWatchEvent(watcher: ProjectWatcher, pred: (e: WatchEvent) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const listener = (e: WatchEvent) => {
      if (!pred(e)) return;
      watcher.off('event', listener);
      resolve(performance.now());
    };
    watcher.on('event', listener);
  });
}
