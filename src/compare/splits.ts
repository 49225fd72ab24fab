/**
 * Train / validation / test row indices for each repeat of a comparison:
 * stratified and seeded by default, or supplied by the caller (fixed index
 * sets, or a function of the repeat).
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber} from '../core/validate';
import {stratifiedIndices} from '../datasets/tabular';
import type {SplitIndices, SplitOption} from './types';

/** A split option with its defaults filled in, and a description for the result. */
export interface ResolvedSplits {
  /** Number of repeats the option allows (fixed splits: their count). */
  repeats: number | null;
  /** The split of one repeat. */
  get(repeat: number, seed: number): SplitIndices;
  /** One line for the configuration, e.g. `stratified train/validation/test 60/20/20`. */
  description: string;
}

/** Default fractions of the stratified split. */
export const DEFAULT_SPLIT = {
  /** Fraction of each class held out for validation. */
  validation: 0.2,
  /** Fraction of each class held out for testing. */
  test: 0.2,
};

/** Checks index sets: integers in [0, numRows), train and test non-empty, parts disjoint. */
export function checkSplit(split: SplitIndices, numRows: number, name: string): SplitIndices {
  if (split === null || typeof split !== 'object') throw new ImbalancedInputError(name, '{train, validation?, test} index arrays', split);
  checkKeys('a split', split, ['train', 'validation', 'test'], name);
  const owner = new Int8Array(numRows);
  (['train', 'validation', 'test'] as const).forEach((part, p) => {
    const idx = split[part];
    if (idx === undefined && part === 'validation') return;
    if (!idx || typeof (idx as ArrayLike<number>).length !== 'number') throw new ImbalancedInputError(`${name}.${part}`, 'an array of row indices', idx);
    if (part !== 'validation' && idx.length === 0) throw new ImbalancedInputError(`${name}.${part}`, 'at least one row index', 'an empty array');
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i];
      if (!Number.isInteger(r) || r < 0 || r >= numRows) throw new ImbalancedInputError(`${name}.${part}[${i}]`, `a row index in [0, ${numRows - 1}]`, r);
      if (owner[r] !== 0) throw new ImbalancedInputError(`${name}.${part}[${i}]`, 'a row in one part only (train, validation and test are disjoint)', r);
      owner[r] = p + 1;
    }
  });
  return split;
}

/** Resolves `option` for data with `labels` of `numClasses` classes. */
export function resolveSplits(option: SplitOption | undefined, labels: Int32Array, numClasses: number): ResolvedSplits {
  const n = labels.length;
  if (option === undefined || (!Array.isArray(option) && typeof option === 'object' && option !== null && option.kind === 'stratified')) {
    const o = option ?? {kind: 'stratified'};
    checkKeys('a stratified split', o, ['kind', 'validation', 'test'], 'splits');
    const test = checkNumber('splits.test', o.test ?? DEFAULT_SPLIT.test, {min: 0, max: 1, openMin: true, openMax: true});
    const validation = checkNumber('splits.validation', o.validation ?? DEFAULT_SPLIT.validation, {min: 0, max: 1, openMax: true});
    if (test + validation >= 1) throw new ImbalancedInputError('splits', 'validation + test fractions below 1 (the rest trains)', `${validation} + ${test}`);
    const pct = (f: number) => Math.round(f * 100);
    return {
      repeats: null,
      description: validation > 0
        ? `stratified train/validation/test ${pct(1 - test - validation)}/${pct(validation)}/${pct(test)}`
        : `stratified train/test ${pct(1 - test)}/${pct(test)}`,
      get: (_repeat, seed) => {
        const fractions = validation > 0 ? [test, validation] : [test];
        const [train, testRows, validationRows] = stratifiedIndices(labels, numClasses, fractions, new Random(seed));
        return {train, validation: validationRows ?? [], test: testRows};
      },
    };
  }
  if (Array.isArray(option)) {
    if (option.length === 0) throw new ImbalancedInputError('splits', 'at least one {train, validation?, test}', 'an empty array');
    option.forEach((s, i) => checkSplit(s, n, `splits[${i}]`));
    return {repeats: option.length, description: `${option.length} fixed split${option.length === 1 ? '' : 's'}`, get: repeat => option[repeat]};
  }
  if (typeof option === 'function') {
    return {repeats: null, description: 'custom split function', get: (repeat, seed) => checkSplit(option(repeat, seed, labels), n, `splits(${repeat})`)};
  }
  throw new ImbalancedInputError('splits', "{kind: 'stratified', validation?, test?}, an array of {train, validation?, test} or a function", option);
}
