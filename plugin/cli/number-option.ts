/**
 * Commander argument parsers for the CLI's numeric flags, one strict reading for every command.
 *
 * `Number()` alone accepts `''` and `' '` (as 0), `0x10`, `1e3` and `Infinity`, so each command's own
 * check let a different set of odd spellings through. Here a flag takes plain decimal digits only
 * (an optional sign, and for {@link numberOption} a decimal point); anything else is refused with the
 * flag's own message, which commander prints as one line (exit 2, see `main.ts`).
 */
import { InvalidArgumentError } from 'commander';

/** Range and wording of one flag. */
export interface NumberRange {
  /** Smallest accepted value. Default: no lower bound. */
  min?: number;
  /** Largest accepted value. Default: no upper bound. */
  max?: number;
  /** Exclude `min` itself (for "above 0"). Default `false`. */
  aboveMin?: boolean;
  /** The reason shown after commander's "option '--x <n>' argument 'v' is invalid." */
  message: string;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * A parser for a whole-number flag.
 *
 * ```ts
 * program.option('--jobs <n>', 'assets at once', integerOption({ min: 1, message: 'must be a whole number from 1 up' }), 1);
 * ```
 */
export function integerOption(range: NumberRange): (value: string) => number {
  return (value) => checked(readInteger(value), range);
}

/** A parser for a decimal-number flag (`0.5`, `.5`, `12`); same range rules as {@link integerOption}. */
export function numberOption(range: NumberRange): (value: string) => number {
  return (value) => checked(readDecimal(value), range);
}

/** `value` as a whole number when it is written as one (plain digits, optional sign), else NaN. */
export function readInteger(value: string): number {
  const text = value.trim();
  return INTEGER.test(text) ? Number(text) : NaN;
}

/** `value` as a number when it is written as a plain decimal (`0.5`, `.5`, `12`), else NaN. */
export function readDecimal(value: string): number {
  const text = value.trim();
  return DECIMAL.test(text) ? Number(text) : NaN;
}

function checked(n: number, { min = -Infinity, max = Infinity, aboveMin = false, message }: NumberRange): number {
  const inRange = aboveMin ? n > min : n >= min;
  if (!Number.isFinite(n) || !inRange || n > max) throw new InvalidArgumentError(message);
  return n;
}

/**
 * `--threads` of the commands whose output is the same bytes for any thread count (`vary`, `style`): a CI
 * farm's job slot may own fewer cores than the machine shows, and their default takes two.
 */
export const parseWorkerThreads = integerOption({ min: 1, max: 64, message: 'threads must be a whole number from 1 to 64' });
