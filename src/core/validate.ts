/**
 * Up-front checks for user-supplied options. Each throws ImbalancedInputError
 * naming the parameter; each returns the value as a plain number[] so callers
 * can validate and copy in one step.
 */
import {ImbalancedInputError} from '../errors';

/** A finite number, optionally bounded; `open` bounds exclude the endpoints. */
export function checkNumber(
  name: string,
  value: unknown,
  opts: {min?: number; max?: number; openMin?: boolean; openMax?: boolean; integer?: boolean} = {},
): number {
  const {min, max, openMin = false, openMax = false, integer = false} = opts;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    (min !== undefined && (openMin ? value <= min : value < min)) ||
    (max !== undefined && (openMax ? value >= max : value > max))
  ) {
    // The message is built only on failure: this runs per element in checkNumberArray.
    const range =
      `${min === undefined ? '' : `${openMin ? '>' : '>='} ${min}`}` +
      `${min !== undefined && max !== undefined ? ' and ' : ''}` +
      `${max === undefined ? '' : `${openMax ? '<' : '<='} ${max}`}`;
    throw new ImbalancedInputError(name, `${integer ? 'an integer' : 'a finite number'}${range ? ` ${range}` : ''}`, value);
  }
  return value;
}

/** A non-empty array of finite numbers, each passing `checkNumber` with `opts`. */
export function checkNumberArray(
  name: string,
  value: unknown,
  opts: {length?: number; min?: number; openMin?: boolean; integer?: boolean} = {},
): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new ImbalancedInputError(name, 'an array of numbers', value);
  }
  const arr = Array.from(value as ArrayLike<number>);
  if (arr.length === 0) throw new ImbalancedInputError(name, 'a non-empty array', value);
  if (opts.length !== undefined && arr.length !== opts.length) {
    throw new ImbalancedInputError(name, `an array of length ${opts.length}`, `length ${arr.length}: ${JSON.stringify(arr.slice(0, 8))}`);
  }
  arr.forEach((v, i) => checkNumber(`${name}[${i}]`, v, {min: opts.min, openMin: opts.openMin, integer: opts.integer}));
  return arr;
}

/** Class counts: integers > 0 (a class with zero samples has no defined weight). */
export function checkClassCounts(name: string, value: unknown, length?: number): number[] {
  const counts = checkNumberArray(name, value, {length});
  counts.forEach((c, i) => {
    if (!(c > 0)) {
      throw new ImbalancedInputError(
        `${name}[${i}]`,
        'a count > 0 (a class with zero samples cannot be weighted; drop it or pass classWeights)',
        c,
      );
    }
  });
  return counts;
}

/** Class weights: finite and > 0. */
export function checkClassWeights(name: string, value: unknown, length?: number): number[] {
  return checkNumberArray(name, value, {length, min: 0, openMin: true});
}

/**
 * A K x K matrix of finite non-negative numbers; with `zeroDiagonal` the
 * diagonal must be 0 (a cost for a correct prediction makes no sense).
 */
export function checkCostMatrix(
  name: string,
  value: unknown,
  size: number,
  opts: {zeroDiagonal?: boolean} = {},
): number[][] {
  if (!Array.isArray(value) || value.length !== size) {
    throw new ImbalancedInputError(name, `a ${size} x ${size} matrix (array of ${size} rows)`, value);
  }
  return value.map((row, i) => {
    const r = checkNumberArray(`${name}[${i}]`, row, {length: size, min: 0});
    if (opts.zeroDiagonal && r[i] !== 0) {
      throw new ImbalancedInputError(`${name}[${i}][${i}]`, '0 on the diagonal (the cost of a correct prediction)', r[i]);
    }
    return r;
  });
}

/** A boolean option. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ImbalancedInputError(name, 'a boolean', value);
  return value;
}

/** One of a fixed set of string options. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ImbalancedInputError(name, `one of ${allowed.map(a => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** An array or a typed array (not a DataView): what the readers accept as a row of numbers. */
export function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Rejects option keys outside `allowed`, so that a misspelt option (`regulariser`)
 * fails instead of being ignored. The error names the key, suggests the closest
 * allowed one (edit distance, case-insensitive) and lists the rest. `owner`
 * names the factory or class in the message (e.g. `'dwb'`, `'new CSL()'`).
 * `path` names a nested options object (e.g. `'methods[0].options.focal'`): the
 * key is then reported as `path.key`. A null or undefined `options` passes
 * (every option is then defaulted).
 */
export function checkKeys(owner: string, options: unknown, allowed: readonly string[], path?: string): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ImbalancedInputError(path ?? `${owner} options`, 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const parameter = path === undefined ? key : `${path}.${key}`;
    if (allowed.length === 0) throw new ImbalancedInputError(parameter, `no options (${owner} takes none)`, 'an unknown option');
    const near = closestName(key, allowed);
    const hint = near === undefined ? '' : `did you mean '${near}'? `;
    throw new ImbalancedInputError(parameter, `an option of ${owner}: ${hint}(${owner} takes ${allowed.join(', ')})`, 'an unknown option');
  }
}

/**
 * The entry of `names` closest to `word` by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours, ignoring case), if it is close enough to be
 * a likely typo: at most 2 edits, and fewer than half the word's length.
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(2, Math.ceil(word.length / 2) - 1) ? best : undefined;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}
