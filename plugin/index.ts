/** Public library API of Remaster. */
export * from './types';
