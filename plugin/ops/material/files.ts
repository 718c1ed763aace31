/**
 * The two-shot capture from files to files: read and check both photos, fit, encode the maps, build
 * material.glb and write everything into the output folder all-or-nothing.
 */
import { DEFAULT_FOV_DEG } from './camera';
import { captureMaterial, type CaptureOptions, type CaptureResult } from './capture';
import { encodeMaps } from './encode';
import { materialGlb } from './glb';
import { readPhoto } from './read-photo';
import { writeAllOrNothing } from './write-outputs';

export interface CaptureFilesOptions extends Omit<CaptureOptions, 'names' | 'orientations'> {
  /** Also write one period of the pattern as tileable maps (tile-*.png). */
  tile?: boolean;
}

export interface CaptureFilesReport {
  files: string[];
  width: number;
  height: number;
  /** Lattice vectors of the pattern in pixels. */
  period: { a: [number, number]; b: [number, number]; score: number };
  albedoScale: number;
  /** Albedo normalisation rule, stated in every report. */
  albedoNote: string;
  residual: CaptureResult['residual'];
  /** Field of view used, and where it came from. */
  fov: { degrees: number; source: 'option' | 'exif' | 'default' };
  heightRangeTexels: number;
  specularColorFactor: number;
  anisotropic: boolean;
  warnings: string[];
  seconds: CaptureResult['seconds'];
}

/** Fraction of texels with anisotropy strength above which the glb uses KHR_materials_anisotropy. */
const ANISOTROPIC_FRACTION = 0.01;

export async function captureMaterialFiles(flashFile: string, guideFile: string, outDir: string, options: CaptureFilesOptions = {}): Promise<CaptureFilesReport> {
  const [flash, guide] = await Promise.all([readPhoto(flashFile), readPhoto(guideFile)]);
  const fovDeg = options.fovDeg ?? flash.exifFovDeg ?? guide.exifFovDeg;
  const result = await captureMaterial(flash.photo, guide.photo, {
    ...options,
    fovDeg,
    names: { flash: flashFile, guide: guideFile },
    orientations: [flash.orientation, guide.orientation],
  });
  const { maps } = result;
  let anisotropicTexels = 0;
  for (let i = 0; i < maps.width * maps.height; i++) if (maps.anisotropy[i * 2] > 0.05) anisotropicTexels++;
  const anisotropic = anisotropicTexels > ANISOTROPIC_FRACTION * maps.width * maps.height;
  const encoded = await encodeMaps(maps, result.height, result.occlusion);
  const files = new Map<string, Uint8Array>([
    ['basecolor.png', encoded.basecolor], ['normal.png', encoded.normal], ['roughness.png', encoded.roughness],
    ['specular.png', encoded.specular], ['anisotropy.png', encoded.anisotropy], ['height.png', encoded.height],
    ['occlusion.png', encoded.occlusion],
  ]);
  files.set('material.glb', await materialGlb(encoded, maps.width, maps.height, { specular: true, anisotropic }));
  if (options.tile) {
    const t = await encodeMaps(result.tile.maps, result.tile.height, result.tile.occlusion);
    files.set('tile-basecolor.png', t.basecolor); files.set('tile-normal.png', t.normal); files.set('tile-roughness.png', t.roughness);
    files.set('tile-specular.png', t.specular); files.set('tile-anisotropy.png', t.anisotropy); files.set('tile-height.png', t.height);
    files.set('tile-occlusion.png', t.occlusion);
  }
  const written = await writeAllOrNothing(outDir, files);
  return {
    files: written, width: maps.width, height: maps.height,
    period: { a: result.lattice.a, b: result.lattice.b, score: result.lattice.score },
    albedoScale: result.albedoScale,
    albedoNote: 'absolute scale is unknown: albedo normalised so the brightest plausible diffuse albedo (99.5th percentile) is 0.95; specular F0 scaled alike',
    residual: result.residual,
    fov: { degrees: fovDeg ?? DEFAULT_FOV_DEG, source: options.fovDeg !== undefined ? 'option' : fovDeg !== undefined ? 'exif' : 'default' },
    heightRangeTexels: result.heightRangeTexels,
    specularColorFactor: encoded.specularColorFactor, anisotropic,
    warnings: result.warnings, seconds: result.seconds,
  };
}
