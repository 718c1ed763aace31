/**
 * Photo to Material, two-shot: PBR maps from a flash + guide photo pair of a flat, repeating material
 * (after Aittala, Weyrich & Lehtinen 2015). See README "Photo to Material" for the capture model.
 *
 *   import { captureMaterialFiles } from 'remaster/plugin/ops/material';
 *   const report = await captureMaterialFiles('flash.jpg', 'guide.jpg', 'out/brick', { fovDeg: 60, tile: true });
 */
export { captureMaterial, type CaptureOptions, type CaptureResult } from './capture';
export { captureMaterialFiles, type CaptureFilesOptions, type CaptureFilesReport } from './files';
export { CaptureInputError } from './read-photo';
export { materialFromOnePhoto, type OnePhotoReport } from './one-photo';
export { NoPatternError, findLattice, type Lattice } from './period';
export { renderFlash, renderGuide, renderPointLight, DEFAULT_FLASH_POWER, DEFAULT_ROOM_LIGHT, type RoomLight } from './render';
export { simulatePhoto, encodePhoto, type PhotoOptions } from './photo';
export { syntheticMaterial, tileMaps } from './synthetic';
export type { Camera, MaterialMaps, Photo, LinearImage } from './types';
