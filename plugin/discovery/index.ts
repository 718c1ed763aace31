export { discoverFiles, assetTypeOf, TEXTURE_EXTENSIONS, STATE_DIR, type AssetType, type DiscoveredFile } from './walk';
export { resolveResourceUri, assertInsideRoot, toAbsolute, UnsafePathError, toProjectPath, covers, coveredBy } from '../safety/project-paths';
