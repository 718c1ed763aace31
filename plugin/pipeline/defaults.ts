/**
 * Pipeline defaults that the command line needs before anything heavy is loaded: config/defaults.ts,
 * where every default lives (RUN_DEFAULTS), loads nothing at run time, so `remaster --help` does not
 * pay for the pipeline.
 */
import { RUN_DEFAULTS } from '../config/defaults';

/** Assets processed at once (RUN_DEFAULTS.concurrency). */
export const DEFAULT_CONCURRENCY = RUN_DEFAULTS.concurrency;
