/** Texture Multiplier: organic, tileable variations of a texture set. See README.md. */
export { varyTexture, checkVaryInput, tiles, VaryInputError, MIN_SIDE, MAX_SIDE, MAX_COUNT, MAX_EXEMPLAR_PIXELS } from './vary-texture';
export { detectLattice, autocorrelation } from './period';
export { remap } from './remap';
export type { VaryMap, VaryOptions, VaryResult, Variant, CoordinateMap, Lattice } from './types';
export { varyMaterials, type VaryMaterialsOptions } from './transform';
export { vary as varyOperation, type VaryRule, type VarySettings } from './operation';
export { selfCheck, describeMisses, type VaryCheck, type VaryTarget } from './self-check';
