/**
 * Colour → PBR maps (issue 11, one-photo part): normal, roughness, height and occlusion from a base
 * colour, by a trained CNN or a Materialize-style heuristic. See README.md in this folder.
 */
export { estimatePbrFromColor, DEFAULT_PBR_METHOD, type PbrEstimateOptions } from './estimate';
export { loadPbrModel, shippedPbrModel, PBR_MODEL_NAME, type PbrModel, type LoadPbrModelOptions } from './cnn';
export { encodeNormalMap, encodeOrm, encodeGrey } from './encode';
export { evaluatePbrFolder, EVAL_METHODS, type EvalMethod, type PbrEvalReport, type PbrEvalSummary, type PbrScores } from './evaluate';
export { DEFAULT_HEURISTIC, DEFAULT_ROUGHNESS } from './heuristic';
export type { PbrMaps, PbrMethod, PbrInputMode, HeuristicParams, RoughnessParams } from './types';
