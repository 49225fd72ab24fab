/**
 * Spec oracles (../shared/specs): dwb.md §7 M1-M3, rwwce.md §7 R1-R2,
 * remix.md §7 (balanced Brier, g-mean), crcen.md §6 (metrics), plus the
 * semantic rules the fixtures cannot show (bin edges, zero division 'nan',
 * excluded classes, empty input).
 */
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
import {uniformBin} from '../../src/metrics/stats/calibrationBins';
import {aucFromSorted, averagePrecisionFromSorted} from '../../src/metrics/auroc';
import {expectClose} from '../helpers';

// M1: dwb.md §7.
const P1 = [[0.85, 0.10, 0.05], [0.65, 0.25, 0.10], [0.15, 0.75, 0.10], [0.30, 0.45, 0.25]];
const Y1 = [0, 1, 1, 2];

function value<R>(m: metrics.Metric<R>, y: metrics.LabelInput, p: metrics.PredictionInput): R {
  m.update(y, p);
  return m.result();
}

describe('M1 (dwb.md §7): Brier, ECE, MCE, P/R, AUROC on four 3-class predictions', () => {
  it('Brier (eq. 19) = 0.495', () => expectClose(value(metrics.brier(), Y1, P1), 0.495));
  it('ECE = 0.375 and MCE = 0.65 for M = 10 and 15', () => {
    for (const bins of [10, 15]) {
      expectClose(value(metrics.ece({bins}), Y1, P1), 0.375);
      expectClose(value(metrics.mce({bins}), Y1, P1), 0.65);
    }
  });
  it('per-class precision [0.5, 0.5, 0/0] and recall [1, 0.5, 0]', () => {
    expectClose(value(metrics.precision({average: 'none'}), Y1, P1), [0.5, 0.5, 0]);
    expectClose(value(metrics.precision({average: 'none', zeroDivision: 1}), Y1, P1), [0.5, 0.5, 1]);
    expect(value(metrics.precision({average: 'none', zeroDivision: 'nan'}), Y1, P1)[2]).toBeNaN();
    expectClose(value(metrics.recall({average: 'none'}), Y1, P1), [1, 0.5, 0]);
  });
  it('OvR score AUROC [1, 0.75, 1], macro 0.9166667; hard-prediction AUROC 0.6111111', () => {
    expectClose(value(metrics.auroc({average: 'none'}), Y1, P1), [1, 0.75, 1]);
    expectClose(value(metrics.auroc(), Y1, P1), 0.9166667);
    expectClose(value(metrics.auroc({hardPredictions: true, average: 'none'}), Y1, P1), [0.8333333, 0.5, 0.5]);
    expectClose(value(metrics.auroc({hardPredictions: true}), Y1, P1), 0.6111111);
  });
});

describe('M2 (dwb.md §7): ECE with a shared bin', () => {
  // conf = [.85, .82, .65, .75, .45], correct = [1, 0, 0, 1, 0]: 3-class rows whose top entry (class 0)
  // is conf, label 0 when correct and 1 otherwise.
  const conf = [0.85, 0.82, 0.65, 0.75, 0.45];
  const correct = [1, 0, 0, 1, 0];
  const P = conf.map(c => [c, (1 - c) / 2, (1 - c) / 2]);
  const Y = correct.map(k => (k ? 0 : 1));
  it('ECE = 0.404, MCE = 0.65 for M = 10 and 15', () => {
    for (const bins of [10, 15]) {
      expectClose(value(metrics.ece({bins}), Y, P), 0.404);
      expectClose(value(metrics.mce({bins}), Y, P), 0.65);
    }
  });
});

describe('M3 (dwb.md §7): AUROC ties count 1/2', () => {
  it('scores [0.1, 0.4, 0.35, 0.8], labels [0, 0, 1, 1] -> 0.75', () => {
    expectClose(value(metrics.auroc(), [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
  });
  it('tie: scores [0.5, 0.5, 0.2, 0.9], labels [1, 0, 0, 1] -> 0.875', () => {
    expectClose(value(metrics.auroc(), [1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875);
    expectClose(aucFromSorted([0.5, 0.9], [0.2, 0.5]), 0.875);
  });
  it('average precision is step-wise over distinct thresholds (ties grouped)', () => {
    // Ranked: 0.9 (+), 0.5 (+ and -, tied), 0.2 (-): AP = 1/2 * 1 + 1/2 * 2/3.
    expectClose(value(metrics.auprc(), [1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.5 + 1 / 3);
    expectClose(averagePrecisionFromSorted([0.35, 0.8], [0.1, 0.4]), (1 + 2 / 3) / 2); // sklearn docs example: 0.8333
  });
});

describe('R1, R2 (rwwce.md §7): real-world cost', () => {
  it('R1: FN = 2, FP = 5, N = 1000, costs (2000, 100) -> 4.5', () => {
    const y: number[] = [];
    const p: number[] = [];
    const push = (label: number, prob: number, times: number) => { for (let i = 0; i < times; i++) { y.push(label); p.push(prob); } };
    push(1, 0.2, 2); // FN
    push(0, 0.9, 5); // FP
    push(1, 0.8, 93);
    push(0, 0.1, 900);
    expectClose(value(metrics.realWorldCost({costFN: 2000, costFP: 100}), y, p), 4.5);
  });
  it('R2: confusion [[50,3,2],[4,30,6],[1,2,2]], w_fn = [1,2,1], W_fp as C3 -> 0.64', () => {
    const C = [[50, 3, 2], [4, 30, 6], [1, 2, 2]];
    const y: number[] = [];
    const p: number[][] = [];
    C.forEach((row, i) => row.forEach((count, j) => { for (let k = 0; k < count; k++) { y.push(i); p.push([0, 1, 2].map(c => (c === j ? 0.8 : 0.1))); } }));
    const rwc = metrics.realWorldCost({costFN: [1, 2, 1], costFP: [[0, 0, 0], [0, 0, 5], [0, 3, 0]]});
    expectClose(value(rwc, y, p), 0.64);
    expect(value(metrics.confusionMatrix(), y, p)).toEqual(C);
  });
  it('N = 0 gives NaN, not an exception', () => {
    const rwc = metrics.realWorldCost({costFN: 1, costFP: 1});
    expect(rwc.result()).toBeNaN();
    rwc.update([], []);
    expect(rwc.result()).toBeNaN();
  });
});

describe('remix.md §7: balanced Brier and g-mean', () => {
  it('binary: y = [1,1,0,0,0], p = [.9,.6,.2,.1,.4] -> BBS 0.0775 (plain Brier 2 x 0.076)', () => {
    const y = [1, 1, 0, 0, 0];
    const p = [0.9, 0.6, 0.2, 0.1, 0.4];
    expectClose(value(metrics.balancedBrier(), y, p), 0.0775);
    expectClose(value(metrics.brier(), y, p), 2 * 0.076); // sum over both classes (documented)
  });
  it('3 classes: half-sum BBS 0.151111, GM = 0.5^(1/3)', () => {
    const y = [0, 0, 1, 2, 2, 2];
    const P = [[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0, 0.1, 0.9]];
    expectClose(value(metrics.balancedBrier(), y, P), 0.151111, 1e-5);
    expectClose(value(metrics.gmean(), y, P), 0.793701, 1e-6);
    expectClose(value(metrics.recall({average: 'none'}), y, P), [0.5, 1, 1]);
  });
  it('balanced Brier averages over the classes present only', () => {
    // Class 2 absent from the labels: mean of BS_0 and BS_1 only.
    const y = [0, 1];
    const P = [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2]];
    const bs0 = (0.2 ** 2 + 0.1 ** 2 + 0.1 ** 2) / 2;
    const bs1 = (0.2 ** 2 + 0.4 ** 2 + 0.2 ** 2) / 2;
    expectClose(value(metrics.balancedBrier(), y, P), (bs0 + bs1) / 2);
  });
});

describe('crcen.md §6 metrics oracle: TP = 8, FN = 2, FP = 10, TN = 80', () => {
  const y = [...Array(10).fill(1), ...Array(90).fill(0)];
  const p = [...Array(8).fill(0.9), ...Array(2).fill(0.1), ...Array(10).fill(0.7), ...Array(80).fill(0.2)];
  it('P = 0.4444444, R = 0.8, Spec = 0.8888889, F1 = 0.5714286, Gm = 0.8432740', () => {
    expectClose(value(metrics.precision({average: 'binary'}), y, p), 0.4444444);
    expectClose(value(metrics.recall({average: 'binary'}), y, p), 0.8);
    expectClose(value(metrics.recall({average: 'binary', positiveClass: 0}), y, p), 0.8888889);
    expectClose(value(metrics.f1({average: 'binary'}), y, p), 0.5714286);
    expectClose(value(metrics.gmean(), y, p), 0.8432740);
  });
  it('the threshold option moves the sigmoid decision (strict >)', () => {
    // At threshold 0.7 the ten 0.7-scored negatives are no longer predicted positive.
    expectClose(value(metrics.precision({average: 'binary', threshold: 0.7}), y, p), 1);
    expectClose(value(metrics.realWorldCost({costFN: 1, costFP: 1, threshold: 0.7}), y, p), 2 / 100);
  });
});

describe('calibration bin edges (torchmetrics #1646 / #3510 avoided)', () => {
  it('conf 0 -> first bin, conf 1 -> last bin, an edge m/M -> the lower bin', () => {
    expect(uniformBin(0, 15)).toBe(0);
    expect(uniformBin(1, 15)).toBe(14);
    expect(uniformBin(1, 1)).toBe(0);
    for (const M of [10, 15]) for (let m = 1; m < M; m++) expect(uniformBin(m / M, M)).toBe(m - 1);
    expect(uniformBin(0.3, 10)).toBe(2);
    expect(uniformBin(0.30000000000000004, 10)).toBe(3);
  });
  it('one-hot predictions (confidence exactly 1 and 0) are perfectly calibrated in both modes', () => {
    const y = [0, 1, 2, 1];
    const P = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]];
    for (const mode of ['topLabel', 'classwise'] as const) {
      for (const binning of ['uniform', 'quantile'] as const) {
        expect(value(metrics.ece({mode, binning}), y, P)).toBe(0);
        expect(value(metrics.mce({mode, binning}), y, P)).toBe(0);
      }
    }
    const diagram = metrics.reliabilityDiagram(y, P, {bins: 15});
    expect(diagram.bins[14].count).toBe(4);
    expect(diagram.bins[14].upper).toBe(1);
    expect(diagram.bins.slice(0, 14).every(b => b.count === 0)).toBe(true);
  });
  it('a wrong one-hot prediction: conf 1, accuracy 0 in the last bin; classwise p = 0 in the first bin', () => {
    const y = [1];
    const P = [[1, 0]];
    expect(value(metrics.ece(), y, P)).toBe(1);
    // classwise: class 0 has p = 1 with outcome 0 (gap 1), class 1 has p = 0 (first bin) with outcome 1 (gap 1).
    expect(value(metrics.ece({mode: 'classwise'}), y, P)).toBe(1);
  });
  it('quantile bins: equal mass without ties, ties share a bin', () => {
    // 4 confidences, 2 bins: edges at rank ceil(4/2) - 1 = 1 -> {0.6, 0.7} and {0.8, 0.9}.
    const conf = [0.6, 0.7, 0.8, 0.9];
    const correct = [1, 0, 1, 1];
    const P = conf.map(c => [c, 1 - c]);
    const y = correct.map(k => (k ? 0 : 1));
    const d = metrics.reliabilityDiagram(y, P, {bins: 2, binning: 'quantile'});
    expect(d.bins.map(b => b.count)).toEqual([2, 2]);
    expectClose(d.bins.map(b => b.meanConfidence), [0.65, 0.85]);
    expectClose(d.ece, (Math.abs(0.5 - 0.65) * 2 + Math.abs(1 - 0.85) * 2) / 4);
    expectClose(value(metrics.ece({bins: 2, binning: 'quantile'}), y, P), d.ece);
    // All tied: one non-empty bin.
    const tied = metrics.reliabilityDiagram([0, 1, 0], [[0.7, 0.3], [0.7, 0.3], [0.7, 0.3]], {bins: 3, binning: 'quantile'});
    expect(tied.bins.map(b => b.count).filter(c => c > 0)).toEqual([3]);
  });
  it('reliabilityDiagram reports count, mean confidence, accuracy, ECE and MCE like ece/mce', () => {
    const d = metrics.reliabilityDiagram(Y1, P1, {bins: 10});
    expectClose(d.ece, 0.375);
    expectClose(d.mce, 0.65);
    expect(d.numSamples).toBe(4);
    const filled = d.bins.filter(b => b.count > 0);
    expect(filled.map(b => b.count)).toEqual([1, 1, 1, 1]); // 0.45 | 0.65 | 0.75 | 0.85
    expectClose(filled.map(b => b.accuracy), [0, 0, 1, 1]);
    expectClose(filled.map(b => b.meanConfidence), [0.45, 0.65, 0.75, 0.85]);
    expectClose(filled.map(b => b.lower), [0.4, 0.6, 0.7, 0.8]);
    expect(d.bins[0].meanConfidence).toBeNaN();
  });
});

describe('label sets, averages and undefined classes', () => {
  it('macro averages run over classes in y_true or y_pred; absent classes take no part', () => {
    // 4 columns, class 3 never occurs nor is predicted.
    const y = [0, 0, 1, 2];
    const P = [[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1]];
    // per-class F1: class 0: P 1, R 0.5 -> 2/3; class 1: P 0.5, R 1 -> 2/3; class 2: 1.
    expectClose(value(metrics.f1(), y, P), (2 / 3 + 2 / 3 + 1) / 3);
    expectClose(value(metrics.f1({average: 'none'}), y, P), [2 / 3, 2 / 3, 1, 0]);
    expectClose(value(metrics.f1({average: 'none', zeroDivision: 1}), y, P), [2 / 3, 2 / 3, 1, 1]);
    expectClose(value(metrics.f1({average: 'micro'}), y, P), 0.75);
    expectClose(value(metrics.f1({average: 'weighted'}), y, P), (2 * 2 / 3 + 2 / 3 + 1) / 4);
    expectClose(value(metrics.gmean(), y, P), Math.cbrt(0.5 * 1 * 1));
    expectClose(value(metrics.balancedAccuracy(), y, P), (0.5 + 1 + 1) / 3);
  });
  it("zeroDivision 'nan' leaves the undefined class out of macro and weighted averages", () => {
    // Class 2 occurs but is never predicted: precision 0/0.
    const y = [0, 1, 2];
    const P = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.8, 0.1]];
    expectClose(value(metrics.precision(), y, P), (1 + 0.5 + 0) / 3);
    expectClose(value(metrics.precision({zeroDivision: 1}), y, P), (1 + 0.5 + 1) / 3);
    expectClose(value(metrics.precision({zeroDivision: 'nan'}), y, P), (1 + 0.5) / 2);
    expectClose(value(metrics.precision({zeroDivision: 'nan', average: 'weighted'}), y, P), (1 + 0.5) / 2);
  });
  it('a class predicted but absent from y_true: g-mean 0 (imblearn), balanced accuracy ignores it (sklearn)', () => {
    const y = [0, 0, 1];
    const P = [[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1]];
    expect(value(metrics.gmean(), y, P)).toBe(0);
    expectClose(value(metrics.gmean({correction: 0.01}), y, P), Math.cbrt(0.5 * 1 * 0.01));
    expectClose(value(metrics.balancedAccuracy(), y, P), 0.75);
  });
  it('AUROC leaves out classes without positives or negatives; none defined gives NaN', () => {
    const y = [0, 0, 1, 1];
    const P = [[0.6, 0.3, 0.1], [0.5, 0.3, 0.2], [0.2, 0.7, 0.1], [0.4, 0.5, 0.1]];
    const perClass = value(metrics.auroc({average: 'none'}), y, P);
    expect(perClass[2]).toBeNaN();
    expectClose(value(metrics.auroc(), y, P), (perClass[0] + perClass[1]) / 2);
    expect(value(metrics.auroc(), [1, 1], [0.3, 0.8])).toBeNaN();
    expect(value(metrics.auprc(), [0, 0], [0.3, 0.8])).toBeNaN();
    expect(value(metrics.auprc(), [1, 1], [0.3, 0.8])).toBe(1); // AP needs positives only
  });
  it('binary AUROC = positive-class AUROC = macro over the two classes', () => {
    const y = [0, 1, 1, 0, 1];
    const p = [0.2, 0.7, 0.4, 0.5, 0.9];
    const pos = value(metrics.auroc(), y, p);
    const both = value(metrics.auroc({average: 'none'}), y, p);
    expectClose(both, [pos, pos]);
    expectClose(value(metrics.auroc(), y, p.map(v => [1 - v, v])), pos);
  });
  it('MCC (sklearn formula) and balanced accuracy adjusted', () => {
    const y = [0, 0, 1, 1, 2, 2];
    const P = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.9, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9], [0.9, 0.05, 0.05]];
    // C = [[1,1,0],[0,2,0],[1,0,1]]: t = [2,2,2], p = [2,3,1], c = 4, s = 6.
    const cov = 4 * 6 - (2 * 2 + 2 * 3 + 2 * 1);
    expectClose(value(metrics.mcc(), y, P), cov / Math.sqrt((36 - 12) * (36 - 14)));
    expectClose(value(metrics.balancedAccuracy({adjusted: true}), y, P), (2 / 3 - 1 / 3) / (1 - 1 / 3));
    expect(value(metrics.mcc(), [0, 0], [0.1, 0.2])).toBe(0); // one class only: 0, as sklearn
  });
  it('confusionMatrix normalisations', () => {
    const y = [0, 0, 1];
    const p = [0.2, 0.7, 0.9];
    expect(value(metrics.confusionMatrix(), y, p)).toEqual([[1, 1], [0, 1]]);
    expect(value(metrics.confusionMatrix({normalize: 'true'}), y, p)).toEqual([[0.5, 0.5], [0, 1]]);
    expect(value(metrics.confusionMatrix({normalize: 'pred'}), y, p)).toEqual([[1, 0.5], [0, 0.5]]);
    expectClose(value(metrics.confusionMatrix({normalize: 'all'}), y, p), [[1 / 3, 1 / 3], [0, 1 / 3]]);
  });
  it('every metric returns NaN (or []) before any data', () => {
    for (const m of [metrics.ece(), metrics.mce(), metrics.brier(), metrics.balancedBrier(), metrics.gmean(), metrics.balancedAccuracy(),
      metrics.f1(), metrics.mcc(), metrics.auroc(), metrics.auprc(), metrics.realWorldCost({costFN: 1, costFP: 1})]) {
      expect(m.result()).toBeNaN();
    }
    expect(metrics.f1({average: 'none'}).result()).toEqual([]);
    expect(metrics.confusionMatrix().result()).toEqual([]);
  });
});

describe('fromLogits', () => {
  it('softmax / sigmoid of logits give the same values as the probabilities', () => {
    const z = [[2, 1, 0], [0.5, -1, 0.2], [-3, 4, 1], [0, 0, 0]];
    const y = [0, 2, 1, 1];
    const p = tf.tidy(() => tf.softmax(tf.tensor2d(z, undefined, 'float32')).arraySync() as number[][]);
    for (const f of ['ece', 'brier', 'auroc', 'f1', 'balancedBrier'] as const) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const make = (o: object) => (metrics as any)[f](o) as metrics.Metric<number>;
      expectClose(value(make({fromLogits: true}), y, z), value(make({}), y, p), 1e-6);
    }
    const zs = [2, -1, 0, 3];
    const ys = [1, 0, 0, 1];
    const ps = zs.map(v => 1 / (1 + Math.exp(-v)));
    expectClose(value(metrics.brier({fromLogits: true}), ys, zs), value(metrics.brier(), ys, ps));
    expect(value(metrics.auroc({fromLogits: true}), ys, [1e4, -1e4, -1e4, 1e4])).toBe(1);
    // Extreme softmax logits stay finite: probabilities exactly 0 / 1.
    const big = [[1e4, -1e4, 0], [-1e4, 1e4, 0]];
    expect(value(metrics.ece({fromLogits: true}), [0, 0], big)).toBe(0.5);
    expect(value(metrics.brier({fromLogits: true}), [0, 0], big)).toBe(1);
    // reliabilityDiagram's own fromLogits option: the same diagram as from the probabilities.
    const fromZ = metrics.reliabilityDiagram(y, z, {bins: 5, fromLogits: true});
    const fromP = metrics.reliabilityDiagram(y, p, {bins: 5});
    expect(fromZ.bins.map(b => b.count)).toEqual(fromP.bins.map(b => b.count));
    expectClose(fromZ.ece, fromP.ece, 1e-6);
    expect(() => metrics.reliabilityDiagram(y, z, {bins: 5})).toThrow(/fromLogits/); // logits outside [0, 1] are refused without it
  });
});
