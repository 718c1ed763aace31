/** Config errors, firstLine() and showName() live in plugin/errors.ts; re-exported here for the config modules. */
export { ConfigError, firstLine, showName } from '../errors';
