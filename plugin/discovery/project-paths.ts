/** Moved to plugin/safety/project-paths.ts (path safety in one place); this re-export stays for one round. */
export { toProjectPath, covers } from '../safety/project-paths';
