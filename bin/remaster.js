#!/usr/bin/env node
// Thin launcher: the CLI lives in plugin/cli (compiled to dist/ by `npm run build`).
// `remaster upscale`: the inference worker boots and loads onnxruntime while the CLI loads (issue 13).
// If that fails (no build, no onnxruntime), the command goes on without it and reports the problem itself.
// Not for Lanczos or help, which run no model (a worker loading onnxruntime would cost ~50 ms of CPU for nothing).
const args = process.argv.slice(2);
// `remaster run`: V8 collects the old generation when it is full instead of marking incrementally
// whenever a run's pixel buffers bring it near its limit (issue 13, see plugin/gc-tuning.ts).
if (args[0] === 'run') {
  try {
    require('../dist/plugin/gc-tuning.js').tuneGarbageCollection();
  } catch {
    // not built: main reports that
  }
}
if (args[0] === 'upscale' && !args.some((a) => ['lanczos', '--model=lanczos', '--help', '-h'].includes(a))) {
  try {
    require('../dist/plugin/engine/inference-host.js').prestartInferenceWorker();
  } catch {
    // the engine starts its own worker when it needs one
  }
}
require('../dist/plugin/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`remaster: ${err && err.message ? err.message : err}`); process.exitCode = 2; },
);
