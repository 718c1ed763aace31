/** A bad texture set or bad options for the Texture Multiplier: one line; the CLI exits 2. */
export class VaryInputError extends Error {
  override name = 'VaryInputError';
}
