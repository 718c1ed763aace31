/**
 * The built-in operations, one line each, in registration order (asset operations derive in this
 * order; texture operations run by their `order`). Adding an operation = one line here.
 */
import type { Operation } from './types';
import { pbr } from './pbr/operation';
import { upscale } from './upscale';

export const BUILTIN_OPERATIONS: readonly Operation[] = [
  upscale,
  pbr,
];
