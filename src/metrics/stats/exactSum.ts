/**
 * Exact floating-point sums (Shewchuk, "Adaptive Precision Floating-Point
 * Arithmetic and Fast Robust Geometric Predicates", 1997; the algorithm of
 * Python's `math.fsum`). Each accumulator keeps its sum as a short list of
 * non-overlapping float64 "partials" whose exact sum is the exact sum of every
 * value added, so the result — the correctly rounded exact sum — does not
 * depend on the order of the additions. That is what makes metric state
 * mergeable: chunks, shards and merges in any order give the same bits.
 *
 * Cost: one TwoSum (6 flops, no branch) per addition while the running sum
 * is exact, plus a few flops per partial when it rounds.
 */
import {ImbalancedInputError} from '../../errors';

/** Initial partials per accumulator (grows on demand; sums of values in [0, 2] stay far below). */
const INITIAL_CAPACITY = 8;

/**
 * `count` independent exact sums, indexed 0..count-1. Each is a float64
 * running sum (`heads`) plus Shewchuk partials holding the rounding errors of
 * that running sum: an addition is one branch-free TwoSum, and the partials
 * are touched only when the running sum rounds (for float32 probabilities in
 * [0.1, 1], never below a sum of 2^26).
 */
export class ExactSums {
  /** Number of accumulators. */
  readonly count: number;
  private readonly heads: Float64Array;
  private partials: Float64Array[];
  private readonly lengths: Int32Array;

  constructor(count: number) {
    this.count = count;
    this.heads = new Float64Array(count);
    this.partials = Array.from({length: count}, () => new Float64Array(INITIAL_CAPACITY));
    this.lengths = new Int32Array(count);
  }

  /** Adds a finite value x to accumulator k. */
  add(k: number, x: number): void {
    // Knuth's TwoSum: hi + lo == head + x exactly.
    const a = this.heads[k];
    const hi = a + x;
    const b = hi - a;
    const lo = a - (hi - b) + (x - b);
    this.heads[k] = hi;
    if (lo !== 0) this.addPartial(k, lo);
  }

  /** Adds x to the partials of accumulator k (Shewchuk's grow-expansion with zero elimination). */
  private addPartial(k: number, x: number): void {
    this.lengths[k] = growExpansion(this.partials[k], this.lengths[k], x);
    if (this.lengths[k] === this.partials[k].length) {
      const next = new Float64Array(this.partials[k].length * 2);
      next.set(this.partials[k]);
      this.partials[k] = next;
    }
  }

  /** Adds everything accumulated by `other` (same count) into this (exact). */
  merge(other: ExactSums): void {
    for (let k = 0; k < this.count; k++) for (const v of other.terms(k)) this.add(k, v);
  }

  /** The non-zero terms whose exact sum is accumulator k: the partials, then the running sum. */
  private terms(k: number): number[] {
    const out = Array.from(this.partials[k].subarray(0, this.lengths[k]));
    if (this.heads[k] !== 0) out.push(this.heads[k]);
    return out;
  }

  /** The correctly rounded value of accumulator k. */
  value(k: number): number {
    const p = new Float64Array(this.lengths[k] + 2);
    p.set(this.partials[k].subarray(0, this.lengths[k]));
    return roundExpansion(p, growExpansion(p, this.lengths[k], this.heads[k]));
  }

  /** The correctly rounded sum of all accumulators. */
  total(): number {
    const all = new ExactSums(1);
    for (let k = 0; k < this.count; k++) for (const v of this.terms(k)) all.add(0, v);
    return all.value(0);
  }

  /** Every value, as a plain array. */
  values(): number[] {
    return Array.from({length: this.count}, (_, k) => this.value(k));
  }

  /** For each accumulator, terms whose exact sum it is (plain numbers; JSON keeps float64 exactly). */
  toJSON(): number[][] {
    return Array.from({length: this.count}, (_, k) => this.terms(k));
  }

  /** Rebuilds accumulators from `toJSON()` output (each term re-added, so any finite numbers are accepted). */
  static fromJSON(parameter: string, json: unknown, count: number): ExactSums {
    if (!Array.isArray(json) || json.length !== count) {
      throw new ImbalancedInputError(parameter, `${count} lists of partial sums`, json);
    }
    const sums = new ExactSums(count);
    json.forEach((list, k) => {
      if (!Array.isArray(list)) throw new ImbalancedInputError(`${parameter}[${k}]`, 'a list of finite numbers', list);
      list.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new ImbalancedInputError(`${parameter}[${k}][${j}]`, 'a finite number', v);
        sums.add(k, v);
      });
    });
    return sums;
  }
}

/**
 * Adds x to the non-overlapping partials p[0..len) (increasing magnitude) in
 * place; returns the new length (at most len + 1; p must have room for it).
 */
function growExpansion(p: Float64Array, len: number, x: number): number {
  let kept = 0;
  for (let j = 0; j < len; j++) {
    let y = p[j];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    // Fast TwoSum with |x| >= |y|: hi + lo == x + y exactly.
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[kept++] = lo;
    x = hi;
  }
  p[kept] = x;
  return kept + 1;
}

/** The correctly rounded sum of non-overlapping partials p[0..n) (`math.fsum`'s final step, half-way cases included). */
function roundExpansion(p: Float64Array, n: number): number {
  if (n === 0) return 0;
  let hi = p[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // hi + lo was a tie broken to even; the partials below decide the direction.
  if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}
