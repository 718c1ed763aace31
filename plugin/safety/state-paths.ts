/** Moved to plugin/safety/project-paths.ts (path safety in one place); this re-export stays for one round. */
export { NO_STATE_ADVICE, isProjectPath, assertStatePaths } from './project-paths';
