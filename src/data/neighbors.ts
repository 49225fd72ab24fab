/**
 * Exact k-nearest-neighbour search (squared Euclidean distance) for the SMOTE
 * family. Three kernels compute the same result:
 *
 * - `'wasm'`: a WebAssembly SIMD program (src/data/knnWasm.ts): float32 dot
 *   products in 4 x 8 register tiles over panel-packed rows, candidate lists
 *   kept in wasm memory, the symmetry d(i, j) = d(j, i) in self mode, and
 *   worker threads when the Node entry plugs them in.
 * - `'js'`: a blocked typed-array kernel. Distances are ranked by
 *   s_ij = ||r_j||^2 - 2 q_i . r_j (||q_i||^2 is constant per query row) on
 *   mean-centred float32 copies, with 2 x 2 register blocking and, when the
 *   queries are the reference rows themselves, the symmetry (half the dot products).
 * - `'tf'`: the same expansion with `tf.matMul` on the active backend, one
 *   block of query rows at a time; the scores are read back and selected in JS.
 *
 * All keep the best k + 4 candidates per query under the fast (float32)
 * score, then re-rank the candidates whose score lies within a rigorous
 * rounding-error margin of the k-th by the exact distance sum_t (a_t - b_t)^2,
 * computed in float64 from the original values; ties are broken by the lower
 * reference index. When the margin reaches past the kept candidates (many near
 * ties) the row falls back to an exact scan over every reference row. So the
 * neighbour sets are exact, identical for every kernel and on every backend.
 * No kernel allocates anything of size nQuery x nRef: memory is
 * O((nQuery + nRef) (d + k)) plus, for `'tf'`, one block of at most 4M scores.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {EXTRA_CANDIDATES, knnModule, wasmCandidates} from './knnWasm';
import type {Candidates} from './knnWasm';

/** Row-major feature storage the samplers work on. */
export type FloatRows = Float32Array | Float64Array;

/** Which distance kernel computes the candidate scores. */
export type KnnKernel = 'auto' | 'wasm' | 'js' | 'tf';

/** Every {@link KnnKernel}, for validation. */
export const KNN_KERNELS: readonly KnnKernel[] = ['auto', 'wasm', 'js', 'tf'];

/** Options of {@link kNeighbors}. */
export interface KNeighborsOptions {
  /**
   * Query rows (row-major, `d` values each). Omitted: the reference rows are
   * their own queries and each row's own index is excluded from its neighbours.
   */
  query?: FloatRows;
  /**
   * With `query`: for each query row, a reference index it must not get as a
   * neighbour (itself, when the queries are a subset of the references), or -1.
   */
  exclude?: Int32Array;
  /** Candidate kernel; `'auto'` (default) picks per backend and size, see `chooseKernel`. */
  kernel?: KnnKernel;
}

/** Below this many query x reference pairs the js kernel is always used (tf overhead dominates). */
const TF_MIN_PAIRS = 1 << 20;

/**
 * The kernel `'auto'` resolves to: `'tf'` on backends whose matrix products
 * run natively or on a GPU (webgl, webgpu, tensorflow) for problems of at
 * least ~1M distance pairs; otherwise `'wasm'` where WebAssembly SIMD is
 * available, else `'js'`. An explicit `'wasm'` without WebAssembly SIMD also
 * runs `'js'`. (On the cpu and wasm backends the wasm kernel is 2-8x faster
 * than the others: bench/smote.ts.)
 */
export function chooseKernel(kernel: KnnKernel, pairs: number): 'wasm' | 'js' | 'tf' {
  if (kernel === 'js' || kernel === 'tf') return kernel;
  const wasm = knnModule(false) !== null ? 'wasm' : 'js';
  if (kernel === 'wasm') return wasm;
  const backend = tf.getBackend();
  if (pairs >= TF_MIN_PAIRS && (backend === 'webgl' || backend === 'webgpu' || backend === 'tensorflow')) return 'tf';
  return wasm;
}

/**
 * For each query row, the indices of its `k` nearest reference rows, sorted
 * by distance (ties: lower index first), as a row-major [nQuery, k] Int32Array.
 * `ref` holds `nRef` rows of `d` values. Without `options.query` the queries
 * are the reference rows and a row is never its own neighbour (a duplicate of
 * it at another index is).
 */
export function kNeighbors(ref: FloatRows, nRef: number, d: number, k: number, options: KNeighborsOptions = {}): Int32Array {
  checkKeys('kNeighbors', options, ['query', 'exclude', 'kernel']);
  checkNumber('k', k, {min: 1, integer: true});
  checkNumber('d', d, {min: 1, integer: true});
  const kernel = checkOneOf('kernel', options.kernel ?? 'auto', KNN_KERNELS);
  const self = options.query === undefined;
  const query = options.query ?? ref;
  const nQuery = query.length / d;
  if (ref.length !== nRef * d || !Number.isInteger(nQuery)) {
    throw new ImbalancedInputError('kNeighbors', `row-major arrays of ${d} values per row`, `${ref.length} and ${query.length} values`);
  }
  let exclude: Int32Array | null = null;
  if (self) {
    exclude = new Int32Array(nRef);
    for (let i = 0; i < nRef; i++) exclude[i] = i;
  } else if (options.exclude) {
    if (options.exclude.length !== nQuery) throw new ImbalancedInputError('exclude', `one index per query row (${nQuery})`, `${options.exclude.length}`);
    exclude = options.exclude;
  }
  const available = exclude ? nRef - 1 : nRef;
  if (k > available) {
    throw new ImbalancedInputError('k', `at most ${available} (the number of candidate neighbours)`, k);
  }
  if (nQuery === 0) return new Int32Array(0);

  // Mean-centred float32 copies: distances are unchanged, norms (and so the rounding error) smaller.
  const mean = new Float64Array(d);
  for (let j = 0; j < nRef; j++) for (let t = 0; t < d; t++) mean[t] += ref[j * d + t];
  for (let t = 0; t < d; t++) mean[t] /= nRef;
  const refC = centred(ref, mean, d);
  const queryC = self ? refC : centred(query, mean, d);
  const refNorm = rowNorms(refC, d);
  const queryNorm = self ? refNorm : rowNorms(queryC, d);
  let maxRefNorm = 0;
  for (let j = 0; j < nRef; j++) if (refNorm[j] > maxRefNorm) maxRefNorm = refNorm[j];

  // Bound on |fast score - exact score| per unit of (||q||^2 + max ||r||^2), u = 2^-24:
  // float32 rounding of the inputs (4u), of the norms (u), of a float32 dot product
  // (gamma_d ~ d u) and of the final subtraction (2u): (d + 7) u <= c. Twice c is
  // the margin that cannot lose a true k-nearest neighbour.
  const u = 2 ** -24;
  const c = 4 * (d + 4) * u;
  const m = Math.min(k + EXTRA_CANDIDATES, available);
  const best = candidates(chooseKernel(kernel, nQuery * nRef), queryC, refC, refNorm, queryNorm, maxRefNorm, 2 * c, nQuery, nRef, d, k, m, self, exclude);

  const out = new Int32Array(nQuery * k);
  const candIdx = new Int32Array(m);
  const candDist = new Float64Array(m);
  for (let i = 0; i < nQuery; i++) {
    const base = i * m;
    const count = best.count[i];
    const threshold = best.score[base + k - 1] + 2 * c * (queryNorm[i] + maxRefNorm);
    if (count === m && m < available && best.score[base + m - 1] <= threshold) {
      exactRow(query, i, ref, nRef, d, exclude ? exclude[i] : -1, k, out);
      continue;
    }
    let nc = 0;
    for (let r = 0; r < count; r++) {
      if (best.score[base + r] > threshold) break;
      const j = best.index[base + r];
      candIdx[nc] = j;
      candDist[nc] = exactDistance(query, i, ref, j, d);
      nc++;
    }
    sortPairs(candDist, candIdx, nc);
    for (let r = 0; r < k; r++) out[i * k + r] = candIdx[r];
  }
  return out;
}

/** The m best candidates per query row under the fast score, from the chosen kernel. */
function candidates(
  which: 'wasm' | 'js' | 'tf', queryC: Float32Array, refC: Float32Array, refNorm: Float64Array, queryNorm: Float64Array,
  maxRefNorm: number, margin: number, nQuery: number, nRef: number, d: number, k: number, m: number, self: boolean, exclude: Int32Array | null,
): Candidates | CandidateLists {
  // Float32 scores overflow past ~1e38: such rows (norms beyond 1e30) go to the float64 js kernel.
  let maxQueryNorm = 0;
  for (let i = 0; i < nQuery; i++) if (queryNorm[i] > maxQueryNorm) maxQueryNorm = queryNorm[i];
  if (Math.max(maxRefNorm, maxQueryNorm) > 1e30) which = 'js';
  if (which === 'wasm') {
    const found = wasmCandidates(queryC, refC, refNorm, queryNorm, nQuery, nRef, d, self, exclude, m);
    if (found) return found;
  }
  const best = new CandidateLists(nQuery, m);
  if (which === 'tf') tfScores(queryC, refC, refNorm, queryNorm, maxRefNorm, margin, nQuery, nRef, d, k, exclude, best);
  else if (self) jsScoresSelf(refC, refNorm, nRef, d, best);
  else jsScores(queryC, refC, refNorm, nQuery, nRef, d, exclude, best);
  return best;
}

/** Exact squared distance between query row i and reference row j, in float64. */
export function exactDistance(query: FloatRows, i: number, ref: FloatRows, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const diff = query[a + t] - ref[b + t];
    s += diff * diff;
  }
  return s;
}

/** Exact scan of one query row over every reference row (the near-tie fallback). */
function exactRow(query: FloatRows, i: number, ref: FloatRows, nRef: number, d: number, skip: number, k: number, out: Int32Array): void {
  const dist = new Float64Array(nRef);
  const idx = new Int32Array(nRef);
  let n = 0;
  for (let j = 0; j < nRef; j++) {
    if (j === skip) continue;
    dist[n] = exactDistance(query, i, ref, j, d);
    idx[n] = j;
    n++;
  }
  sortPairs(dist, idx, n);
  for (let r = 0; r < k; r++) out[i * k + r] = idx[r];
}

/** Insertion sort of the first n (distance, index) pairs by distance, then index. */
function sortPairs(dist: Float64Array, idx: Int32Array, n: number): void {
  if (n > 64) {
    const order = Array.from({length: n}, (_, r) => r).sort((a, b) => dist[a] - dist[b] || idx[a] - idx[b]);
    const d2 = order.map(r => dist[r]);
    const i2 = order.map(r => idx[r]);
    for (let r = 0; r < n; r++) {
      dist[r] = d2[r];
      idx[r] = i2[r];
    }
    return;
  }
  for (let r = 1; r < n; r++) {
    const dv = dist[r];
    const iv = idx[r];
    let s = r - 1;
    while (s >= 0 && (dist[s] > dv || (dist[s] === dv && idx[s] > iv))) {
      dist[s + 1] = dist[s];
      idx[s + 1] = idx[s];
      s--;
    }
    dist[s + 1] = dv;
    idx[s + 1] = iv;
  }
}

function centred(rows: FloatRows, mean: Float64Array, d: number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let p = 0; p < rows.length; p += d) for (let t = 0; t < d; t++) out[p + t] = rows[p + t] - mean[t];
  return out;
}

function rowNorms(rows: Float32Array, d: number): Float64Array {
  const n = rows.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = i * d; t < (i + 1) * d; t++) s += rows[t] * rows[t];
    out[i] = s;
  }
  return out;
}

/**
 * Per query row, the m best (lowest score) candidates seen so far, kept sorted
 * by (score, index); `worst[i]` is the score a newcomer must beat once full.
 */
class CandidateLists {
  readonly score: Float64Array;
  readonly index: Int32Array;
  readonly count: Int32Array;
  readonly worst: Float64Array;

  constructor(n: number, readonly m: number) {
    this.score = new Float64Array(n * m);
    this.index = new Int32Array(n * m);
    this.count = new Int32Array(n);
    this.worst = new Float64Array(n).fill(Infinity);
  }

  /** Inserts (s, j) into row i's list; callers test `s <= worst[i]` first. */
  insert(i: number, s: number, j: number): void {
    const m = this.m;
    const base = i * m;
    const score = this.score;
    const index = this.index;
    let c = this.count[i];
    if (c === m) {
      // Equal to the worst: keep the lower index (the scan order is not always increasing).
      if (s === score[base + m - 1] && j > index[base + m - 1]) return;
      c = m - 1;
    } else {
      this.count[i] = c + 1;
    }
    let p = base + c - 1;
    while (p >= base && (score[p] > s || (score[p] === s && index[p] > j))) {
      score[p + 1] = score[p];
      index[p + 1] = index[p];
      p--;
    }
    score[p + 1] = s;
    index[p + 1] = j;
    if (this.count[i] === m) this.worst[i] = score[base + m - 1];
  }
}

const BLOCK = 64;
/** Reference rows per group whose minimum score the tf kernel reads back. */
const GROUP = 16;

/** Self mode: each unordered pair's dot product is computed once and offered to both rows. */
function jsScoresSelf(x: Float32Array, norm: Float64Array, n: number, d: number, best: CandidateLists): void {
  const worst = best.worst;
  for (let bi = 0; bi < n; bi += BLOCK) {
    const iEnd = Math.min(bi + BLOCK, n);
    for (let bj = bi; bj < n; bj += BLOCK) {
      const jEnd = Math.min(bj + BLOCK, n);
      const diag = bi === bj;
      let i = bi;
      for (; i + 1 < iEnd; i += 2) {
        const a0 = i * d;
        const a1 = a0 + d;
        const n0 = norm[i];
        const n1 = norm[i + 1];
        let j = diag ? i + 2 : bj;
        if (diag) {
          // The pair (i, i + 1) inside the 2-row strip.
          let s = 0;
          for (let t = 0; t < d; t++) s += x[a0 + t] * x[a1 + t];
          offer(best, worst, i, i + 1, n1 - 2 * s);
          offer(best, worst, i + 1, i, n0 - 2 * s);
        }
        for (; j + 1 < jEnd; j += 2) {
          const b0 = j * d;
          const b1 = b0 + d;
          let s00 = 0;
          let s01 = 0;
          let s10 = 0;
          let s11 = 0;
          for (let t = 0; t < d; t++) {
            const x0 = x[a0 + t];
            const x1 = x[a1 + t];
            const y0 = x[b0 + t];
            const y1 = x[b1 + t];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s10 += x1 * y0;
            s11 += x1 * y1;
          }
          const m0 = norm[j];
          const m1 = norm[j + 1];
          offer(best, worst, i, j, m0 - 2 * s00);
          offer(best, worst, i, j + 1, m1 - 2 * s01);
          offer(best, worst, i + 1, j, m0 - 2 * s10);
          offer(best, worst, i + 1, j + 1, m1 - 2 * s11);
          offer(best, worst, j, i, n0 - 2 * s00);
          offer(best, worst, j + 1, i, n0 - 2 * s01);
          offer(best, worst, j, i + 1, n1 - 2 * s10);
          offer(best, worst, j + 1, i + 1, n1 - 2 * s11);
        }
        for (; j < jEnd; j++) {
          const b0 = j * d;
          let s0 = 0;
          let s1 = 0;
          for (let t = 0; t < d; t++) {
            const y = x[b0 + t];
            s0 += x[a0 + t] * y;
            s1 += x[a1 + t] * y;
          }
          offer(best, worst, i, j, norm[j] - 2 * s0);
          offer(best, worst, i + 1, j, norm[j] - 2 * s1);
          offer(best, worst, j, i, n0 - 2 * s0);
          offer(best, worst, j, i + 1, n1 - 2 * s1);
        }
      }
      for (; i < iEnd; i++) {
        const a0 = i * d;
        for (let j = diag ? i + 1 : bj; j < jEnd; j++) {
          const b0 = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) s += x[a0 + t] * x[b0 + t];
          offer(best, worst, i, j, norm[j] - 2 * s);
          offer(best, worst, j, i, norm[i] - 2 * s);
        }
      }
    }
  }
}

function offer(best: CandidateLists, worst: Float64Array, i: number, j: number, s: number): void {
  if (s <= worst[i]) best.insert(i, s, j);
}

/** Query rows against distinct reference rows, 2 x 2 register blocks. */
function jsScores(q: Float32Array, r: Float32Array, norm: Float64Array, nq: number, nr: number, d: number, exclude: Int32Array | null, best: CandidateLists): void {
  const worst = best.worst;
  if (exclude) {
    // A wrapper whose insert drops the excluded (query, reference) pairs.
    const inner = best;
    best = Object.create(inner) as CandidateLists;
    best.insert = (i: number, s: number, j: number) => { if (exclude[i] !== j) inner.insert(i, s, j); };
  }
  for (let bi = 0; bi < nq; bi += BLOCK) {
    const iEnd = Math.min(bi + BLOCK, nq);
    for (let bj = 0; bj < nr; bj += BLOCK) {
      const jEnd = Math.min(bj + BLOCK, nr);
      let i = bi;
      for (; i + 1 < iEnd; i += 2) {
        const a0 = i * d;
        const a1 = a0 + d;
        let j = bj;
        for (; j + 1 < jEnd; j += 2) {
          const b0 = j * d;
          const b1 = b0 + d;
          let s00 = 0;
          let s01 = 0;
          let s10 = 0;
          let s11 = 0;
          for (let t = 0; t < d; t++) {
            const x0 = q[a0 + t];
            const x1 = q[a1 + t];
            const y0 = r[b0 + t];
            const y1 = r[b1 + t];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s10 += x1 * y0;
            s11 += x1 * y1;
          }
          offer(best, worst, i, j, norm[j] - 2 * s00);
          offer(best, worst, i, j + 1, norm[j + 1] - 2 * s01);
          offer(best, worst, i + 1, j, norm[j] - 2 * s10);
          offer(best, worst, i + 1, j + 1, norm[j + 1] - 2 * s11);
        }
        for (; j < jEnd; j++) {
          const b0 = j * d;
          let s0 = 0;
          let s1 = 0;
          for (let t = 0; t < d; t++) {
            const y = r[b0 + t];
            s0 += q[a0 + t] * y;
            s1 += q[a1 + t] * y;
          }
          offer(best, worst, i, j, norm[j] - 2 * s0);
          offer(best, worst, i + 1, j, norm[j] - 2 * s1);
        }
      }
      for (; i < iEnd; i++) {
        const a0 = i * d;
        for (let j = bj; j < jEnd; j++) {
          const b0 = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) s += q[a0 + t] * r[b0 + t];
          offer(best, worst, i, j, norm[j] - 2 * s);
        }
      }
    }
  }
}

/**
 * The tf kernel. One matMul per block of query rows gives every fast score at
 * once: with q' = [q, 1] and r' = [-2 r, ||r||^2], q' . r' = ||r||^2 - 2 q . r.
 * Only the minimum of each group of GROUP consecutive reference rows is read
 * back. The k-th smallest group minimum bounds the k-th smallest score from
 * above, so only groups whose minimum lies within that bound plus the error
 * margin can hold a true neighbour; those groups (and the query's own group in
 * self mode, whose minimum is the row itself) are re-scored in JS from the
 * float32 copies and offered to the candidate lists.
 */
function tfScores(
  q: Float32Array, r: Float32Array, norm: Float64Array, queryNorm: Float64Array, maxRefNorm: number, margin: number,
  nq: number, nr: number, d: number, k: number, exclude: Int32Array | null, best: CandidateLists,
): void {
  const G = GROUP;
  const groups = Math.ceil(nr / G);
  const nPad = groups * G;
  const d1 = d + 1;
  // r' transposed, [d + 1, nPad]: padding columns get a huge norm so they never win a group.
  const rt = new Float32Array(d1 * nPad);
  for (let j = 0; j < nr; j++) {
    for (let t = 0; t < d; t++) rt[t * nPad + j] = -2 * r[j * d + t];
    rt[d * nPad + j] = norm[j];
  }
  for (let j = nr; j < nPad; j++) rt[d * nPad + j] = 3e38;
  const refT = tf.tensor2d(rt, [d1, nPad]);
  const rowsPerBlock = Math.max(1, Math.min(nq, Math.floor((1 << 22) / nPad)));
  const qa = new Float32Array(rowsPerBlock * d1);
  const gmSorted = new Float64Array(k);
  const worst = best.worst;
  try {
    for (let b = 0; b < nq; b += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, nq - b);
      for (let ii = 0; ii < rows; ii++) {
        qa.set(q.subarray((b + ii) * d, (b + ii + 1) * d), ii * d1);
        qa[ii * d1 + d] = 1;
      }
      const mins = tf.tidy(() => {
        const qT = tf.tensor2d(qa.subarray(0, rows * d1), [rows, d1]);
        return tf.min(tf.reshape(tf.matMul(qT, refT), [rows, groups, G]), 2);
      });
      const gm = mins.dataSync() as Float32Array;
      mins.dispose();
      for (let ii = 0; ii < rows; ii++) {
        const i = b + ii;
        const off = ii * groups;
        const skip = exclude ? exclude[i] : -1;
        const selfGroup = skip >= 0 ? Math.floor(skip / G) : -1;
        // k-th smallest group minimum (self group excluded).
        let filled = 0;
        for (let g = 0; g < groups; g++) {
          if (g === selfGroup) continue;
          const v = gm[off + g];
          if (filled < k) {
            let p = filled++ - 1;
            while (p >= 0 && gmSorted[p] > v) { gmSorted[p + 1] = gmSorted[p]; p--; }
            gmSorted[p + 1] = v;
          } else if (v < gmSorted[k - 1]) {
            let p = k - 2;
            while (p >= 0 && gmSorted[p] > v) { gmSorted[p + 1] = gmSorted[p]; p--; }
            gmSorted[p + 1] = v;
          }
        }
        // Fewer than k other groups: examine everything.
        const limit = filled < k ? Infinity : gmSorted[k - 1] + margin * (queryNorm[i] + maxRefNorm);
        const a = i * d;
        for (let g = 0; g < groups; g++) {
          if (g !== selfGroup && !(gm[off + g] <= limit)) continue;
          const jEnd = Math.min(nr, (g + 1) * G);
          for (let j = g * G; j < jEnd; j++) {
            if (j === skip) continue;
            const c = j * d;
            let s = 0;
            for (let t = 0; t < d; t++) s += q[a + t] * r[c + t];
            const score = norm[j] - 2 * s;
            if (score <= worst[i]) best.insert(i, score, j);
          }
        }
      }
    }
  } finally {
    refT.dispose();
  }
}
