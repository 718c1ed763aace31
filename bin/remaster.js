#!/usr/bin/env node
// Thin launcher: the CLI lives in plugin/cli (compiled to dist/ by `npm run build`).
// `remaster upscale`: the inference worker boots and loads onnxruntime while the CLI loads (issue 13).
if (process.argv[2] === 'upscale') require('../dist/plugin/engine/inference-host.js').prestartInferenceWorker();
require('../dist/plugin/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`remaster: ${err && err.message ? err.message : err}`); process.exitCode = 2; },
);
