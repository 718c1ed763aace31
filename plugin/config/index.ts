export * from './types';
export * from './defaults';
export { ConfigError } from './errors';
export { validateConfig } from './validate';
export { loadProjectConfig, loadSidecarRules, configFromObject, isSidecar } from './load';
export { resolveActions, resolveOperation, rulesForAsset, ruleMatches, inferKindFromName, type MatchTarget } from './resolve';
