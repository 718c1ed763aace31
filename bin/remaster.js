#!/usr/bin/env node
// Thin launcher: the CLI lives in plugin/cli (compiled to dist/ by `npm run build`).
const args = process.argv.slice(2);

function runHere() {
  // `remaster run`: V8 collects the old generation when it is full instead of marking incrementally
  // whenever a run's pixel buffers bring it near its limit (issue 13, see plugin/gc-tuning.ts).
  if (args[0] === 'run') {
    try {
      require('../dist/plugin/gc-tuning.js').tuneGarbageCollection();
    } catch {
      // not built: main reports that
    }
  }
  // `remaster upscale`: the inference worker boots and loads onnxruntime while the CLI loads (issue 13).
  // If that fails (no build, no onnxruntime), the command goes on without it and reports the problem itself.
  // Not for Lanczos or help, which run no model (a worker loading onnxruntime would cost ~50 ms of CPU for nothing).
  if (args[0] === 'upscale' && !args.some((a) => ['lanczos', '--model=lanczos', '--help', '-h'].includes(a))) {
    try {
      require('../dist/plugin/engine/inference-host.js').prestartInferenceWorker();
    } catch {
      // the engine starts its own worker when it needs one
    }
  }
  require('../dist/plugin/cli/main.js').main(args).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(`remaster: ${err && err.message ? err.message : err}`); process.exitCode = 2; },
  );
}

// `remaster upscale` inside a project where `remaster serve` runs: the job goes to that warm engine,
// found and handed over before commander, sharp or onnxruntime load here (plugin/server/client.ts).
// Anything else (no server, another build, a refusal, a server that died) runs here, as before.
if (args[0] === 'upscale') {
  let client;
  try {
    client = require('../dist/plugin/server/client.js');
  } catch {
    // not built: main reports that
  }
  if (client) {
    client.runOnServer(args).then(
      (code) => (code === undefined ? runHere() : (process.exitCode = code)),
      () => runHere(),
    );
  } else runHere();
} else runHere();
