/**
 * `samplingStrategy`: which classes a sampler resamples and to how many rows,
 * resolved into per-class target counts (the semantics of imbalanced-learn's
 * `sampling_strategy`). Only classes present in the data (count > 0) take part:
 * "the minority" is the smallest present class, and a dict may not name an
 * absent class (nothing to resample from).
 */
import {ImbalancedInputError, describeValue} from '../errors';
import {checkNumberArray, checkOneOf} from '../core/validate';

/** The named strategies. */
export type NamedSamplingStrategy = 'auto' | 'minority' | 'majority' | 'not minority' | 'not majority' | 'all';

/**
 * - a name: `'auto'` (= `'not majority'` for over-samplers, `'not minority'` for
 *   under-samplers), `'minority'` (over-samplers only), `'majority'` (under-samplers
 *   only), `'not minority'`, `'not majority'`, `'all'`: the named classes are brought
 *   to the majority's count (over-sampling) or the minority's (under-sampling);
 * - a number in (0, 1], binary data only: the desired minority / majority ratio
 *   after resampling (over-sampling grows the minority to floor(ratio * n_majority);
 *   under-sampling shrinks the majority to floor(n_minority / ratio));
 * - `{[classIndex]: count}` (or a Map): the desired count of each named class
 *   (over-samplers: >= its current count; under-samplers: <= it);
 * - a function of the per-class counts returning such a dict.
 */
export type SamplingStrategy =
  | NamedSamplingStrategy
  | number
  | Record<number, number>
  | Map<number, number>
  | ((classCounts: number[]) => Record<number, number> | Map<number, number>);

export const NAMED_STRATEGIES: readonly NamedSamplingStrategy[] = ['auto', 'minority', 'majority', 'not minority', 'not majority', 'all'];

/** Over-samplers add rows, under-samplers remove rows. */
export type SamplingKind = 'over' | 'under';

/** Checks the form of a strategy up front (before any data is seen). */
export function checkSamplingStrategy(value: unknown, kind: SamplingKind, name = 'samplingStrategy'): SamplingStrategy {
  if (typeof value === 'string') {
    if (!(NAMED_STRATEGIES as readonly string[]).includes(value)) {
      throw new ImbalancedInputError(name, `one of ${NAMED_STRATEGIES.map(s => `'${s}'`).join(', ')}, a ratio in (0, 1], a {class: count} object or a function`, value);
    }
    if (kind === 'over' && value === 'majority') {
      throw new ImbalancedInputError(name, "a strategy an over-sampler can follow ('majority' would only grow the largest class)", value);
    }
    if (kind === 'under' && value === 'minority') {
      throw new ImbalancedInputError(name, "a strategy an under-sampler can follow ('minority' would only shrink the smallest class)", value);
    }
    return value as NamedSamplingStrategy;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0 || value > 1) {
      throw new ImbalancedInputError(name, 'a ratio (minority / majority after resampling) in (0, 1]', value);
    }
    return value;
  }
  if (typeof value === 'function') return value as SamplingStrategy;
  if (value instanceof Map || (typeof value === 'object' && value !== null && !Array.isArray(value))) {
    dictEntries(value as Record<number, number> | Map<number, number>, name);
    return value as SamplingStrategy;
  }
  throw new ImbalancedInputError(name, "a strategy name such as 'auto', a ratio in (0, 1], a {class: count} object or a function", value);
}

/**
 * Resolves a strategy against per-class counts. Over-sampling: the number of
 * rows to ADD to each class (0 = untouched). Under-sampling: the number of rows
 * to KEEP in each targeted class, -1 for a class the strategy leaves untouched.
 */
export function resolveSamplingStrategy(strategy: SamplingStrategy, counts: ArrayLike<number>, kind: SamplingKind, name = 'samplingStrategy'): number[] {
  checkOneOf('kind', kind, ['over', 'under'] as const);
  checkSamplingStrategy(strategy, kind, name);
  checkNumberArray('counts', counts, {min: 0, integer: true});
  const C = counts.length;
  const present: number[] = [];
  for (let c = 0; c < C; c++) if (counts[c] > 0) present.push(c);
  if (present.length < 2) {
    throw new ImbalancedInputError('ys', 'labels of at least 2 classes (there is nothing to balance)', `${present.length} class(es) present, counts ${describeValue(Array.from(counts))}`);
  }
  // Ties: the lowest class index is "the" majority / minority (as imbalanced-learn, which sorts the classes).
  let majority = present[0];
  let minority = present[0];
  for (const c of present) {
    if (counts[c] > counts[majority]) majority = c;
    if (counts[c] < counts[minority]) minority = c;
  }
  const nMax = counts[majority];
  const nMin = counts[minority];
  const out: number[] = Array.from(counts, () => (kind === 'over' ? 0 : -1));

  if (typeof strategy === 'string') {
    const named = strategy === 'auto' ? (kind === 'over' ? 'not majority' : 'not minority') : strategy;
    const targeted = present.filter(c =>
      named === 'all' ? true
        : named === 'minority' ? c === minority
          : named === 'majority' ? c === majority
            : named === 'not minority' ? c !== minority
              : c !== majority);
    for (const c of targeted) out[c] = kind === 'over' ? nMax - counts[c] : nMin;
    return out;
  }

  if (typeof strategy === 'number') {
    if (present.length !== 2) {
      throw new ImbalancedInputError(name, 'a ratio only for binary labels (use a {class: count} object for more classes)', `${strategy} with ${present.length} classes present`);
    }
    if (kind === 'over') {
      const add = Math.floor(nMax * strategy - counts[minority]);
      if (add <= 0) {
        throw new ImbalancedInputError(name, `a ratio above the current minority / majority ratio ${(counts[minority] / nMax).toPrecision(4)} (an over-sampler cannot remove minority rows)`, strategy);
      }
      out[minority] = add;
    } else {
      const keep = Math.floor(nMin / strategy);
      if (keep > nMax) {
        throw new ImbalancedInputError(name, `a ratio of at least ${(nMin / nMax).toPrecision(4)} (an under-sampler cannot add majority rows)`, strategy);
      }
      out[majority] = keep;
    }
    return out;
  }

  const dict = typeof strategy === 'function' ? strategy(Array.from(counts)) : strategy;
  for (const [c, target] of dictEntries(dict, name)) {
    if (c >= C || !(counts[c] > 0)) {
      throw new ImbalancedInputError(`${name}[${c}]`, `a class present in the data (class ${c} has no rows; classes present: ${present.join(', ')})`, target);
    }
    if (kind === 'over') {
      if (target < counts[c]) {
        throw new ImbalancedInputError(`${name}[${c}]`, `a target count >= the ${counts[c]} rows class ${c} has (an over-sampler only adds rows)`, target);
      }
      out[c] = target - counts[c];
    } else {
      if (target > counts[c]) {
        throw new ImbalancedInputError(`${name}[${c}]`, `a target count <= the ${counts[c]} rows class ${c} has (an under-sampler only removes rows)`, target);
      }
      out[c] = target;
    }
  }
  return out;
}

function dictEntries(dict: unknown, name: string): Array<[number, number]> {
  if (!(dict instanceof Map) && (typeof dict !== 'object' || dict === null || Array.isArray(dict))) {
    throw new ImbalancedInputError(name, 'a {class: count} object or Map', dict);
  }
  const entries: Array<[unknown, unknown]> = dict instanceof Map ? Array.from(dict.entries()) : Object.entries(dict as object);
  if (entries.length === 0) throw new ImbalancedInputError(name, 'a non-empty {class: count} object', dict);
  return entries.map(([key, value]) => {
    const c = typeof key === 'number' ? key : Number(key);
    if (!Number.isInteger(c) || c < 0 || (typeof key === 'string' && key.trim() === '')) {
      throw new ImbalancedInputError(`${name} key`, 'a class index (an integer >= 0)', key);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new ImbalancedInputError(`${name}[${c}]`, 'a target count (an integer >= 0)', value);
    }
    return [c, value] as [number, number];
  });
}
