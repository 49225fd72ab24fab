/**
 * Long-tailed subsets of a balanced labelled set, built as Cui et al. 2019
 * ("Class-Balanced Loss Based on Effective Number of Samples") build CIFAR-10-LT,
 * the recipe the CSL long-tail paper follows: n_k = floor(n_max·μ^k),
 * μ = imbalance^(−1/(C−1)).
 */
import {checkNumber} from '../core/validate';
import {Random} from '../core/random';

/**
 * Long-tailed class sizes: n_k = floor(n_max·μ^k), μ = imbalance^(−1/(C−1)),
 * k = 0..C−1, so n_0 = n_max and n_{C−1} ≈ n_max / imbalance.
 * CIFAR-10 (n_max 5000, imbalance 50) gives 5000/3237/2096/1357/878/568/368/238/154/100.
 */
export function longTailCounts(nMax: number, numClasses: number, imbalance: number): number[] {
  checkNumber('nMax', nMax, {min: 1, integer: true});
  checkNumber('numClasses', numClasses, {min: 2, integer: true});
  checkNumber('imbalance', imbalance, {min: 1});
  const mu = Math.pow(imbalance, -1 / (numClasses - 1));
  // The 1e-9 keeps exact products (e.g. n_max·μ^(C−1) = n_min) from flooring one below.
  return Array.from({length: numClasses}, (_, k) => Math.max(1, Math.floor(nMax * Math.pow(mu, k) + 1e-9)));
}

/**
 * Indices of a class-wise subset: for each class c, the first `counts[c]` of its
 * samples after a seeded shuffle (all of them if it has fewer). `exclude` (a set
 * of indices) is skipped, e.g. to draw a validation set disjoint from a training
 * subset. Returned in a seeded random order.
 */
export function subsetByClass(labels: ArrayLike<number>, counts: number[], seed: number, exclude?: Set<number>): number[] {
  const rng = new Random(seed);
  const order = Array.from(rng.permutation(labels.length));
  const taken = counts.map(() => 0);
  const out: number[] = [];
  for (const i of order) {
    const c = labels[i];
    if (exclude?.has(i) || c >= counts.length || taken[c] >= counts[c]) continue;
    taken[c] += 1;
    out.push(i);
  }
  return out;
}
