/** Style transfer: give textures the look of a reference image (`remaster style`, rule key `style`). */
export { styleTexture, styleFull, blend, styleFrames, checkStrength, STYLE_METHODS, type StyleMethod, type StyleOptions, type StyledTexture } from './style-texture';
export { readStyleReference, checkStyleReference, MAX_REFERENCE_PIXELS } from './reference';
export { evaluateStyleFolder, type StyleEvalReport, type StyleScores, type TextureStyleEval } from './evaluate-style';
export { style, type StyleRule, type StyleSettings } from './operation';
