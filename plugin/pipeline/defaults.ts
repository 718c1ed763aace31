/**
 * Pipeline defaults that the command line needs before anything heavy is loaded (this module
 * imports nothing, so `remaster --help` does not pay for the pipeline).
 */

/**
 * Assets processed at once: one asset's decode, blend, encode and commit overlap another's inference
 * (which runs in the engine's worker, one tile at a time, on every core). Chosen by measurement on
 * 2 cores (test/bench/index.ts, "jobs x threads" table; see plugin/engine/README.md).
 */
export const DEFAULT_CONCURRENCY = 2;
