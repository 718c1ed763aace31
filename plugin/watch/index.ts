export { watchProject } from './watch-project';
export type { WatchOptions, WatchEvent, JobReason, ProjectWatcher } from './types';
