/** Config errors and firstLine() live in plugin/errors.ts; re-exported here for the config modules. */
export { ConfigError, firstLine } from '../errors';
