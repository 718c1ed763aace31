/**
 * `stats`' worker thread (style-threads.ts): runs the tasks it is handed (stats-tasks.ts) in order, with
 * the same code as the calling thread, keeping what later tasks read, and sends each result back on its
 * port; `sent` in the control block counts the replies, `exited` is set when the thread ends.
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runStatsTask, type StatsTask, type StatsTaskState } from './stats-tasks';
import { STYLE_CONTROL, type StatsReply } from './style-threads';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };
process.on('exit', () => {
  Atomics.store(control, STYLE_CONTROL.exited, 1);
  Atomics.notify(control, STYLE_CONTROL.sent);
});

const state: StatsTaskState = {};

parentPort!.on('message', ({ id, task }: { id: number; task: StatsTask }) => {
  let reply: StatsReply;
  try {
    reply = { id, value: runStatsTask(state, task) };
  } catch (err) {
    reply = { id, error: String((err as Error)?.message ?? err).split('\n')[0] };
  }
  port.postMessage(reply);
  Atomics.add(control, STYLE_CONTROL.sent, 1);
  Atomics.notify(control, STYLE_CONTROL.sent);
});
