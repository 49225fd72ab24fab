/** Small seeded datasets for the comparison engine's tests. */
import {Random} from '../../src/core/random';
import type {CompareData} from '../../src/compare/types';

/**
 * Gaussian blobs: `counts[c]` rows of class c around a centre at distance
 * `separation` on axis c mod d (features of shape `featureShape`, default [d]).
 */
export function blobs(counts: number[], d = 4, seed = 1, separation = 2, featureShape?: number[]): CompareData {
  const rng = new Random(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  let r = 0;
  counts.forEach((count, c) => {
    for (let i = 0; i < count; i++, r++) {
      labels[r] = c;
      for (let j = 0; j < d; j++) features[r * d + j] = rng.normal() + (j === c % d ? separation : 0);
    }
  });
  // Interleave the classes so that row order carries no label information.
  const order = rng.permutation(n);
  const f2 = new Float32Array(n * d);
  const l2 = new Int32Array(n);
  order.forEach((src, dst) => {
    f2.set(features.subarray(src * d, (src + 1) * d), dst * d);
    l2[dst] = labels[src];
  });
  return {
    features: f2, labels: l2, numRows: n, numFeatures: d, numClasses: counts.length,
    featureShape: featureShape ?? [d], classNames: counts.map((_, c) => `class ${c}`),
  };
}
