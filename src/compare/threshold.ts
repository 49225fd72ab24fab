/**
 * Tuning the binary decision threshold on validation predictions: class 1
 * when P(class 1) > t, with t chosen to maximise g-mean, balanced accuracy,
 * macro F1 or the positive class's F1. One sort and one sweep over the
 * distinct scores (O(n log n)).
 */
import {ImbalancedInputError} from '../errors';

/** Metrics a threshold can be tuned for. */
export type ThresholdMetric = 'gmean' | 'balancedAccuracy' | 'macroF1' | 'f1';

/** The metric from the confusion counts of one cut. */
function scoreOf(metric: ThresholdMetric, tp: number, fp: number, fn: number, tn: number): number {
  const tpr = tp + fn > 0 ? tp / (tp + fn) : 0;
  const tnr = tn + fp > 0 ? tn / (tn + fp) : 0;
  const f1Pos = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  const f1Neg = 2 * tn + fp + fn > 0 ? (2 * tn) / (2 * tn + fp + fn) : 0;
  switch (metric) {
    case 'gmean': return Math.sqrt(tpr * tnr);
    case 'balancedAccuracy': return (tpr + tnr) / 2;
    case 'macroF1': return (f1Pos + f1Neg) / 2;
    case 'f1': return f1Pos;
  }
}

/**
 * The threshold t in [0, 1] maximising `metric` when class 1 is decided by
 * `p1 > t`. Candidates are midpoints between consecutive distinct scores (and
 * just below the smallest / at the largest); ties between candidates go to the
 * one closest to 0.5. Returns 0.5 when `p1` is empty.
 */
export function tuneThreshold(labels: ArrayLike<number>, p1: ArrayLike<number>, metric: ThresholdMetric = 'gmean'): number {
  const n = labels.length;
  if (p1.length !== n) throw new ImbalancedInputError('p1', `${n} scores (one per label)`, `${p1.length} scores`);
  if (n === 0) return 0.5;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => p1[b] - p1[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] === 1 ? 1 : 0;
  const neg = n - pos;
  // Start with nothing predicted positive: t = the largest score.
  let tp = 0;
  let fp = 0;
  let bestT = Math.min(1, p1[order[0]]);
  let best = scoreOf(metric, 0, 0, pos, neg);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    const next = k + 1 < n ? p1[order[k + 1]] : -Infinity;
    if (next === p1[i]) continue; // only cut between distinct scores
    const t = Number.isFinite(next) ? (p1[i] + next) / 2 : Math.max(0, p1[i] - 1e-7);
    const s = scoreOf(metric, tp, fp, pos - tp, neg - fp);
    if (s > best || (s === best && Math.abs(t - 0.5) < Math.abs(bestT - 0.5))) {
      best = s;
      bestT = t;
    }
  }
  return bestT;
}
