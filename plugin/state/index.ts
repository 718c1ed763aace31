export { hashBytes, hashValue } from './hash';
export { writeFileAtomic } from './atomic-write';
export { loadState, saveState, emptyState, stateDir, assetsUsingFile, STATE_FILE, type StateData, type FileRecord, type AssetRecord } from './store';
export { keepOriginal, readOriginal, dropOriginal, originalPath, ORIGINALS_DIR } from './originals';
export { lockProject } from './lock';
