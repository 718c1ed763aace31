/**
 * Preloaded with `node -r` into `remaster upscale` by cli-phases.ts (and, through the worker's inherited
 * execArgv, into its inference worker): appends one line per event to $REMASTER_TRACE_FILE, in ms since
 * $REMASTER_TRACE_T0 (the launcher's clock when it spawned the process):
 *   `<ms> <M|W> <event> [detail]` — M main thread, W inference worker. Events: preload (the thread's first
 *   JS), load< / load> of commander, sharp and onnxruntime-node, create< / create> of the ONNX session,
 *   run <ms> per session.run (the worker's side of a tile), rename< (the output written and synced),
 *   exit (the thread's 'exit' event).
 * Nothing is traced without $REMASTER_TRACE_FILE.
 */
import fs from 'node:fs';
import Module from 'node:module';
import { isMainThread } from 'node:worker_threads';

const file = process.env.REMASTER_TRACE_FILE;
if (file) {
  const t0 = Number(process.env.REMASTER_TRACE_T0 ?? 0);
  const thread = isMainThread ? 'M' : 'W';
  const log = (event: string) => fs.appendFileSync(file, `${(performance.timeOrigin + performance.now() - t0).toFixed(1)} ${thread} ${event}\n`);
  log('preload');
  const watched = new Set(['commander', 'sharp', 'onnxruntime-node']);
  type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
  const internal = Module as unknown as { _load: Load };
  const load = internal._load;
  internal._load = function (this: unknown, request, parent, isMain) {
    const watch = watched.has(request);
    if (watch) log(`load< ${request}`);
    const exports = load.call(this, request, parent, isMain);
    if (watch) log(`load> ${request}`);
    if (request === 'onnxruntime-node') traceSessions(exports as typeof import('onnxruntime-node'));
    return exports;
  };
  const traced = new WeakSet<object>();
  const traceSessions = (ort: typeof import('onnxruntime-node')) => {
    if (traced.has(ort.InferenceSession)) return;
    traced.add(ort.InferenceSession);
    const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (...args: unknown[]) => Promise<import('onnxruntime-node').InferenceSession>;
    (ort.InferenceSession as unknown as { create: typeof create }).create = async (...args: unknown[]) => {
      log('create<');
      const session = await create(...args);
      log('create>');
      const run = session.run.bind(session);
      session.run = (async (...a: Parameters<typeof run>) => {
        const started = performance.now();
        const out = await run(...a);
        log(`run ${(performance.now() - started).toFixed(1)}`);
        return out;
      }) as typeof session.run;
      return session;
    };
  };
  if (isMainThread) {
    const rename = fs.promises.rename;
    fs.promises.rename = async (...args: Parameters<typeof rename>) => {
      log('rename<');
      return rename(...args);
    };
  }
  process.on('exit', () => log('exit'));
}
