#!/usr/bin/env node
// Thin launcher: the CLI lives in plugin/cli (compiled to dist/ by `npm run build`).
require('../dist/plugin/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`remaster: ${err && err.message ? err.message : err}`); process.exitCode = 2; },
);
