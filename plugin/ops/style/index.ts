/** Style transfer: give textures the look of a reference image (`remaster style`, rule key `style`). */
export { styleTexture, styleFull, blend, styleFrames, checkStrength, STYLE_METHODS, type StyleMethod, type StyleOptions, type StyledTexture } from './style-texture';
