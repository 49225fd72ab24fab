/**
 * rwwce-table1: Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss
 * Function: Modeling the Costs of Mislabeling" (IEEE Access 2020), Table I
 * style on Fashion-MNIST (MNIST is not available here). Each dataset: the
 * positives are one block of 630 images of one class, the negatives all 63 000
 * images of the other nine classes (train + test files merged, 70 000 images),
 * as the paper builds its 100 MNIST sets. Random 75/25 split, 10 % of the
 * training part held out; 784-10-1 MLP, Adam, 10 epochs, batch 100.
 * Arms: BCE at 0.5, BCE at the F1-optimal threshold (searched on the test
 * predictions, as the authors' notebook does, and on the held-out validation
 * part), RWWCE(costFN 2000, costFP 100) at 0.5. FN, FP, top-1 error, real-world
 * cost per example; paired t-tests across datasets.
 */
import type {CompareData} from '../../src/compare';
import {Random} from '../../src/core/random';
import {fashionMnist} from '../../src/node/datasets';
import {FASHION_MNIST_CLASSES, oneVsRestBlock} from '../../src/datasets';
import {
  column, compactResult, compareRun, evaluationsOf, fmtP, mdTable, mean, pairedTTest, Preset, predictProbabilities, ReproContext,
} from './lib';

const COST_FN = 2000;
const COST_FP = 100;

/** FN, FP and the derived numbers of one arm on one test set. */
interface ArmScores {fn: number; fp: number; errN: number; errNeg: number; rwc: number; threshold: number}

function armScores(labels: number[], p: number[], threshold: number): ArmScores {
  let fn = 0;
  let fp = 0;
  let neg = 0;
  labels.forEach((y, i) => {
    const pred = p[i] > threshold ? 1 : 0;
    if (y === 1 && pred === 0) fn++;
    if (y === 0 && pred === 1) fp++;
    if (y === 0) neg++;
  });
  // Top-1 error over all test examples, and over the negatives (the notebook's denominator).
  return {fn, fp, errN: (fn + fp) / labels.length, errNeg: (fn + fp) / neg, rwc: (COST_FN * fn + COST_FP * fp) / labels.length, threshold};
}

/** The notebook's Control 2: thresholds linspace(0.01, 0.99, 100), ŷ = p > t, the first maximum of F1. */
export function f1OptimalThreshold(labels: number[], p: number[]): number {
  let best = -1;
  let bestT = 0.5;
  for (let i = 0; i < 100; i++) {
    const t = 0.01 + (0.98 * i) / 99;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    labels.forEach((y, j) => {
      const pred = p[j] > t;
      if (pred && y === 1) tp++;
      else if (pred) fp++;
      else if (y === 1) fn++;
    });
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > best) {
      best = f1;
      bestT = t;
    }
  }
  return bestT;
}

/** Pixels / 255 of `rows` with their labels, as the engine's data. */
function pixels(images: Uint8Array, rows: number[], labels: number[], c: number): CompareData {
  const features = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => {
    for (let p = 0; p < 784; p++) features[i * 784 + p] = images[r * 784 + p] / 255;
  });
  return {
    features, labels: Int32Array.from(labels), numRows: rows.length, numFeatures: 784, numClasses: 2,
    classNames: ['other classes', FASHION_MNIST_CLASSES[c]],
  };
}

type ArmName = 'BCE @ 0.5' | 'BCE @ F1-optimal t (test)' | 'BCE @ F1-optimal t (validation)' | 'RWWCE(2000, 100) @ 0.5';
const ARMS: ArmName[] = ['BCE @ 0.5', 'BCE @ F1-optimal t (test)', 'BCE @ F1-optimal t (validation)', 'RWWCE(2000, 100) @ 0.5'];

export const rwwceTable1: Preset = {
  name: 'rwwce-table1',
  title: 'RWWCE (Ho & Wookey 2020), Table I style on Fashion-MNIST one-block-vs-rest sets (1 : 100)',
  async run(ctx: ReproContext) {
    const classes = ctx.str('classes', '0,1,2,3,4,5,6,7,8,9', '0,9').split(',').map(Number);
    const blocks = ctx.str('blocks', '0', '0').split(',').map(Number);
    const epochs = ctx.num('epochs', 10, 1);
    const batchSize = ctx.num('batch', 100);
    const hidden = ctx.num('hidden', 10);
    const train = fashionMnist({split: 'train'});
    const test = fashionMnist({split: 'test'});
    // The paper's MNIST is the 70 000-image openml set (train then test): merge the two files the same way.
    const images = new Uint8Array(train.images.length + test.images.length);
    images.set(train.images);
    images.set(test.images, train.images.length);
    const allLabels = new Uint8Array(train.count + test.count);
    allLabels.set(train.labels);
    allLabels.set(test.labels, train.count);
    const settings = {
      data: 'Fashion-MNIST train + test (70 000); positives = block b (630 images, dataset order) of class c, negatives = every image of the other 9 classes',
      datasets: classes.flatMap(c => blocks.map(b => `class ${c} (${FASHION_MNIST_CLASSES[c]}), block ${b}`)),
      split: 'random 75/25 (seeded per dataset), then the last 10 % of the training part held out (Keras validation_split); imb.compare.run, one per dataset (a fixed split, the engine\'s seeds from seed 100 c + b)',
      model: `the engine's MLP 784-${hidden}-2, ReLU, 2-unit softmax (= a sigmoid of the logit difference); pixels / 255, not standardised`, optimizer: 'Adam lr 1e-3', epochs, batchSize, costs: {costFN: COST_FN, costFP: COST_FP},
    };
    const perDataset: Array<{dataset: string; positivesTest: number; nTest: number; arms: Record<ArmName, ArmScores>}> = [];
    const records: Record<string, unknown>[] = [];
    for (const c of classes) {
      for (const b of blocks) {
        const seed = 100 * c + b;
        const {indices, labels} = oneVsRestBlock(allLabels, {positiveClass: c, block: b, blockSize: 630});
        // Random 75/25 (not stratified, as the paper's train_test_split), then the last 10 % of the training part held out.
        const order = Array.from(new Random(seed).permutation(indices.length));
        const nTest = Math.round(0.25 * indices.length);
        const trainPart = order.slice(nTest);
        const nVal = Math.round(0.1 * trainPart.length);
        const split = {train: trainPart.slice(0, trainPart.length - nVal), validation: trainPart.slice(trainPart.length - nVal), test: order.slice(0, nTest)};
        const dataset = `${FASHION_MNIST_CLASSES[c]} block ${b}`;
        const probs: Record<string, {test: number[]; val: number[]}> = {};
        let yTest: number[] = [];
        let yVal: number[] = [];
        const result = await compareRun(ctx, dataset, pixels(images, Array.from(indices), Array.from(labels), c), {
          methods: [{method: 'ce', label: 'BCE'}, {method: 'rwwce', label: 'RWWCE'}],
          costs: {costFN: COST_FN, costFP: COST_FP}, metrics: ['cost', 'f1'],
          splits: [split], seed, epochs, batchSize, learningRate: 1e-3, hidden: [hidden], standardize: false, monitor: null,
          dataName: dataset,
          onModel: async (model, run, rows) => {
            // The thresholds searched on predictions (the notebook's Control 2) need the probabilities themselves.
            probs[run.method] = {
              test: column(await predictProbabilities(model, rows.test.xs), 2, 1),
              val: column(await predictProbabilities(model, rows.validation!.xs), 2, 1),
            };
            yTest = Array.from(rows.test.labels);
            yVal = Array.from(rows.validation!.labels);
          },
        });
        const arms: Record<ArmName, ArmScores> = {
          'BCE @ 0.5': armScores(yTest, probs.BCE.test, 0.5),
          'BCE @ F1-optimal t (test)': armScores(yTest, probs.BCE.test, f1OptimalThreshold(yTest, probs.BCE.test)),
          'BCE @ F1-optimal t (validation)': armScores(yTest, probs.BCE.test, f1OptimalThreshold(yVal, probs.BCE.val)),
          'RWWCE(2000, 100) @ 0.5': armScores(yTest, probs.RWWCE.test, 0.5),
        };
        // The arms at 0.5 are the engine's own evaluations: same FN, FP and cost.
        for (const [arm, method] of [['BCE @ 0.5', 'BCE'], ['RWWCE(2000, 100) @ 0.5', 'RWWCE']] as [ArmName, string][]) {
          const e = evaluationsOf(result, method)[0];
          if (e.confusion[1][0] !== arms[arm].fn || e.confusion[0][1] !== arms[arm].fp || Math.abs(e.metrics.cost - arms[arm].rwc) > 1e-9 * arms[arm].rwc + 1e-12) {
            throw new Error(`${dataset} ${arm}: the engine's evaluation (FN ${e.confusion[1][0]}, FP ${e.confusion[0][1]}, cost ${e.metrics.cost}) differs from the predictions' (${JSON.stringify(arms[arm])})`);
          }
        }
        records.push({dataset, ...compactResult(result)});
        perDataset.push({dataset, positivesTest: yTest.filter(y => y === 1).length, nTest: yTest.length, arms});
        ctx.log(`${dataset.padEnd(22)} ${ARMS.map(a => `${a.split(' @')[0]}${a.includes('test') ? '/t' : a.includes('valid') ? '/v' : ''}: FN ${arms[a].fn} FP ${arms[a].fp} $${arms[a].rwc.toFixed(2)}`).join('; ')}`);
      }
    }

    const col = (arm: ArmName, key: keyof ArmScores) => perDataset.map(d => d.arms[arm][key]);
    const n = perDataset.length;
    const parts: string[] = [];
    parts.push(`Means over ${n} datasets (test part ≈ ${Math.round(mean(perDataset.map(d => d.nTest)))} images, ≈ ${mean(perDataset.map(d => d.positivesTest)).toFixed(0)} positives); ` +
      `real-world cost = (2000·FN + 100·FP) / N per test image, mean of per-dataset values. Paper = Table I (MNIST, n = 100).\n`);
    const paper: Record<ArmName, string[]> = {
      'BCE @ 0.5': ['45.4', '12.7', '0.37 %', '$5.78'],
      'BCE @ F1-optimal t (test)': ['31.7', '20.3', '0.33 %', '$4.11'],
      'BCE @ F1-optimal t (validation)': ['', '', '', ''],
      'RWWCE(2000, 100) @ 0.5': ['16.1', '127.2', '0.91 %', '$2.81'],
    };
    parts.push(mdTable(['arm', 'FN', 'FP', 'top-1 error (/N)', 'top-1 error (/negatives)', 'real-world cost', 'paper FN / FP / err / cost'],
      ARMS.map(a => [a, mean(col(a, 'fn')).toFixed(1), mean(col(a, 'fp')).toFixed(1), `${(100 * mean(col(a, 'errN'))).toFixed(2)} %`,
        `${(100 * mean(col(a, 'errNeg'))).toFixed(2)} %`, `$${mean(col(a, 'rwc')).toFixed(2)}`, paper[a].filter(Boolean).join(' / ')])));
    const tests: Record<string, Record<string, {t: number; p: number; meanDiff: number}>> = {};
    if (n >= 2) {
      parts.push(`\nPaired t-tests across the ${n} datasets (two-sided p; paper, n = 100: C1 vs Test 1.2e-21 / 3.1e-28 / 3.0e-24 / 2.3e-18; C2 vs Test 2.7e-35 / 2.5e-28 / 1.8e-25 / 3.1e-27):\n`);
      const rows: string[][] = [];
      for (const control of ['BCE @ 0.5', 'BCE @ F1-optimal t (test)', 'BCE @ F1-optimal t (validation)'] as ArmName[]) {
        tests[control] = {};
        const cells = (['fn', 'fp', 'errN', 'rwc'] as const).map(k => {
          const r = pairedTTest(col(control, k), col('RWWCE(2000, 100) @ 0.5', k));
          tests[control][k] = r;
          return `${r.meanDiff >= 0 ? '+' : ''}${(k === 'errN' ? 100 * r.meanDiff : r.meanDiff).toFixed(k === 'errN' || k === 'rwc' ? 2 : 1)} (p ${fmtP(r.p)})`;
        });
        rows.push([`${control} − RWWCE`, ...cells]);
      }
      parts.push(mdTable(['difference (control − RWWCE)', 'FN', 'FP', 'top-1 error (pp)', 'real-world cost ($)'], rows));
    }
    parts.push(`\nPer dataset (FN / FP / cost):\n`);
    parts.push(mdTable(['dataset', ...ARMS], perDataset.map(d => [d.dataset, ...ARMS.map(a => `${d.arms[a].fn} / ${d.arms[a].fp} / $${d.arms[a].rwc.toFixed(2)}`)])));
    return {settings, markdown: parts.join('\n'), results: {perDataset, tests, compare: records}};
  },
};
