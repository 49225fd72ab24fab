/**
 * The comparison engine end to end on tiny seeded data (cpu backend, a few
 * epochs): structure of the result, determinism, no tensor leaks, budgets,
 * temperature scaling, custom splits and models, bad input.
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {run, prepare} from '../../src/compare/run';
import type {CompareResult, RunResult} from '../../src/compare/types';
import {blobs} from './fixtures';

const DATA = blobs([90, 30]);

/** Runs without wall times (the only non-deterministic fields). */
function numbers(r: CompareResult): unknown {
  return r.runs.map(({seconds: _s, ...rest}: RunResult) => rest);
}

describe('compare.run', () => {
  let result: CompareResult;
  let events: string[];

  beforeAll(async () => {
    events = [];
    result = await run(DATA, {
      methods: ['ce', 'dwb', 'remix'], epochs: 3, repeats: 2, seed: 5, dataName: 'blobs',
      onProgress: e => events.push(e.type === 'epoch' ? `epoch ${e.run.method} ${e.epoch}` : e.type),
    });
  });

  it('trains every method on every repeat and records what a report needs', () => {
    expect(result.format).toBe('tfjs-imbalanced/compare@1');
    expect(result.runs.map(r => `${r.method}/${r.repeat}`)).toEqual(['ce/0', 'dwb/0', 'remix/0', 'ce/1', 'dwb/1', 'remix/1']);
    expect(result.data).toMatchObject({name: 'blobs', numRows: 120, numClasses: 2, classCounts: [90, 30], imbalanceRatio: 3});
    expect(result.metrics.map(m => m.key)).toEqual(['balancedAccuracy', 'macroF1', 'gmean', 'auroc', 'auprc', 'ece', 'brier', 'balancedBrier']);
    for (const r of result.runs) {
      expect(r.error).toBeUndefined();
      // Stratified 60 / 20 / 20 of 90 + 30 rows.
      expect(r.rows).toEqual({train: 72, validation: 24, test: 24, trainCounts: [54, 18]});
      expect(r.history.loss).toHaveLength(r.epochsRun);
      expect(r.history.val_gmean).toHaveLength(r.epochsRun);
      expect(r.history.val_ece).toHaveLength(r.epochsRun);
      // The best epoch is the arg max of the exact validation g-mean (first on ties).
      const val = r.history.val_gmean;
      expect(r.bestEpoch).toBe(val.indexOf(Math.max(...val)) + 1);
      expect(r.evaluations).toHaveLength(1);
      const e = r.evaluations[0];
      expect(e).toMatchObject({budget: 3, calibrated: false, epoch: r.bestEpoch, threshold: 0.5});
      expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(24);
      expect(e.confusion[1].reduce((a, b) => a + b, 0)).toBe(6);
      expect(e.reliability).toHaveLength(15);
      expect(e.reliability.reduce((a, b) => a + b.count, 0)).toBe(24);
      expect(e.perClass.recall[1]).toBeCloseTo(e.confusion[1][1] / 6, 12);
      for (const m of result.metrics) expect(Number.isFinite(e.metrics[m.key])).toBe(true);
    }
    // Every method of a repeat starts from the same weights and sees the same split.
    expect(new Set(result.runs.filter(r => r.repeat === 0).map(r => JSON.stringify(r.seeds))).size).toBe(1);
    expect(result.runs[0].seeds).not.toEqual(result.runs[3].seeds);
  });

  it('summarises mean ± sd over repeats and marks the best row per column', () => {
    expect(result.summary.map(r => r.label)).toEqual(['ce', 'dwb', 'remix']);
    const ce = result.summary[0];
    const values = result.runs.filter(r => r.method === 'ce').map(r => r.evaluations[0].metrics.gmean);
    expect(ce.stats.gmean.values).toEqual(values);
    expect(ce.stats.gmean.mean).toBeCloseTo((values[0] + values[1]) / 2, 12);
    expect(ce.stats.gmean.sd).toBeCloseTo(Math.abs(values[0] - values[1]) / Math.SQRT2, 12);
    for (const m of result.metrics) {
      const means = result.summary.map(r => r.stats[m.key].mean);
      const best = m.better === 'max' ? Math.max(...means) : Math.min(...means);
      const marked = result.summary.filter(r => r.best.includes(m.key)).map(r => r.stats[m.key].mean);
      expect(marked.length).toBeGreaterThan(0);
      for (const v of marked) expect(v.toFixed(3)).toBe(best.toFixed(3));
    }
  });

  it('reports progress: start, each run with its epochs, end', () => {
    expect(events[0]).toBe('start');
    expect(events[events.length - 1]).toBe('end');
    expect(events.filter(e => e === 'runEnd')).toHaveLength(6);
    expect(events.slice(1, 1 + 1 + result.runs[0].epochsRun + 1)).toEqual([
      'runStart', ...Array.from({length: result.runs[0].epochsRun}, (_, i) => `epoch ce ${i}`), 'runEnd',
    ]);
  });

  it('is deterministic: the same options give the same numbers', async () => {
    const again = await run(DATA, {methods: ['ce', 'dwb', 'remix'], epochs: 3, repeats: 2, seed: 5, dataName: 'blobs'});
    expect(numbers(again)).toEqual(numbers(result));
    const other = await run(DATA, {methods: ['ce'], epochs: 3, repeats: 1, seed: 6});
    expect(other.runs[0].evaluations[0].metrics).not.toEqual(result.runs[0].evaluations[0].metrics);
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await run(DATA, {methods: ['smote+focal', 'mixup', {method: 'ldam', options: {ldam: {drwEpoch: 1}}}, 'balance'], epochs: 2, repeats: 1, temperatureScale: true, threshold: 'tuned'});
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensors behind with CSL and its callback', async () => {
    const before = tf.memory().numTensors;
    await run(DATA, {methods: ['csl'], epochs: 2, repeats: 1});
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('compare.run options', () => {
  it('evaluates several budgets from one run, the best epoch so far at each', async () => {
    const r = await run(DATA, {methods: ['ce'], epochs: [1, 4], repeats: 1, monitor: null});
    const run0 = r.runs[0];
    expect(run0.epochsRun).toBe(4);
    expect(run0.evaluations.map(e => [e.budget, e.epoch])).toEqual([[1, 1], [4, 4]]);
    expect(r.summary.map(s => s.label)).toEqual(['ce @ 1 ep.', 'ce @ 4 ep.']);
    expect(r.config.epochs).toEqual([1, 4]);
  });

  it('temperature scaling adds a calibrated evaluation with the same decisions', async () => {
    const r = await run(DATA, {methods: ['dwb'], epochs: 3, repeats: 1, temperatureScale: true});
    const [raw, cal] = r.runs[0].evaluations;
    expect(cal.calibrated).toBe(true);
    expect(cal.temperature).toBeGreaterThan(0);
    // p > 0.5 is unchanged by dividing the logit by T > 0: same confusion matrix.
    expect(cal.confusion).toEqual(raw.confusion);
    expect(cal.metrics.auroc).toBeCloseTo(raw.metrics.auroc, 6);
    expect(r.summary.map(s => s.label)).toEqual(['dwb', 'dwb + TS']);
  });

  it('tunes the binary threshold on the validation rows', async () => {
    const r = await run(DATA, {methods: ['ce'], epochs: 2, repeats: 1, threshold: 'tuned', thresholdMetric: 'balancedAccuracy'});
    const t = r.runs[0].evaluations[0].threshold!;
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThanOrEqual(1);
    expect(r.config.threshold).toBe('tuned');
  });

  it('takes multiclass image-shaped data, fixed splits, class groups and a custom model', async () => {
    const data = blobs([40, 20, 12], 4, 3, 2.5, [2, 2, 1]);
    const idx = Array.from({length: data.numRows}, (_, i) => i);
    const splits = [{train: idx.slice(0, 50), validation: idx.slice(50, 60), test: idx.slice(60)}];
    let built = 0;
    const r = await run(data, {
      methods: ['cb', {method: 'focal', label: 'focal γ=1', options: {focal: {gamma: 1}}}], epochs: 2, splits,
      classGroups: {head: [0], tail: [1, 2]}, metrics: ['balancedAccuracy', 'mcc', 'accuracy'],
      buildModel: (shape, classes, seed) => {
        built++;
        const m = tf.sequential();
        m.add(tf.layers.flatten({inputShape: shape}));
        m.add(tf.layers.dense({units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed})}));
        return m;
      },
    });
    expect(built).toBe(2);
    expect(r.config.repeats).toBe(1);
    expect(r.config.standardize).toBe(false);
    expect(r.data.featureShape).toEqual([2, 2, 1]);
    expect(r.metrics.map(m => m.key)).toEqual(['balancedAccuracy', 'mcc', 'accuracy', 'recall:head', 'recall:tail']);
    const e = r.runs[1].evaluations[0];
    expect(r.runs[1].method).toBe('focal γ=1');
    expect(e.threshold).toBeNull();
    expect(e.confusion).toHaveLength(3);
    expect(e.metrics['recall:tail']).toBeCloseTo((e.perClass.recall[1] + e.perClass.recall[2]) / 2, 12);
    expect(r.runs[0].rows.test).toBe(12);
  });

  it('trains a fixed budget with monitor: null, also with validation rows: every epoch runs, the last is kept', async () => {
    const r = await run(DATA, {methods: ['ce'], epochs: 4, repeats: 1, monitor: null, patience: 1});
    expect(r.config).toMatchObject({monitor: null, patience: null});
    expect(r.runs[0]).toMatchObject({epochsRun: 4, bestEpoch: 4});
    expect(r.runs[0].rows.validation).toBe(24);
    expect(r.runs[0].evaluations[0].epoch).toBe(4);
  });

  it('fromLogits: a linear last layer, losses on logits, metrics on their softmax; onModel gets the rows as the model saw them', async () => {
    const seen: string[] = [];
    const r = await run(DATA, {
      methods: ['ce', 'dwb'], epochs: 2, repeats: 1, fromLogits: true, temperatureScale: true,
      onModel: async (model, result, rows) => {
        seen.push(result.method);
        const last = model.layers[model.layers.length - 1].getConfig();
        expect(last.activation).toBe('linear');
        expect(rows.train.labels).toHaveLength(result.rows.train);
        expect(rows.validation?.labels).toHaveLength(result.rows.validation);
        expect(rows.test.xs.shape).toEqual([result.rows.test, 4]);
        // Standardised with the training rows' mean and sd.
        const trainMeans = tf.tidy(() => Array.from(tf.mean(rows.train.xs, 0).dataSync()));
        trainMeans.forEach(m => expect(Math.abs(m)).toBeLessThan(1e-5));
        // The engine's numbers are those of the softmax of the logits on these rows.
        const probs = tf.tidy(() => tf.softmax(model.predict(rows.test.xs) as tf.Tensor2D));
        const auroc = imb.metrics.auroc();
        auroc.update(rows.test.labels, probs);
        probs.dispose();
        const raw = result.evaluations.find(e => !e.calibrated)!;
        expect(auroc.result()).toBeCloseTo(raw.metrics.auroc, 10);
        expect(raw.confusion.map(row => row.reduce((a, b) => a + b, 0))).toEqual([0, 1].map(k => rows.test.labels.filter(y => y === k).length));
      },
    });
    expect(seen).toEqual(['ce', 'dwb']);
    expect(r.config.fromLogits).toBe(true);
    expect(r.methods[0].description).toMatch(/on logits, weightedCrossEntropy with unit weights/);
    for (const run0 of r.runs) {
      expect(run0.error).toBeUndefined();
      for (const e of run0.evaluations) for (const m of r.metrics) expect(Number.isFinite(e.metrics[m.key])).toBe(true);
      expect(run0.history.ece.every(Number.isFinite)).toBe(true);
    }
  });

  it('fromLogits trains as the softmax model does: same data, same initial weights, nearly the same numbers', async () => {
    const options = {methods: ['ce', 'focal'], epochs: 3, repeats: 1, monitor: null};
    const probs = await run(DATA, options);
    const logits = await run(DATA, {...options, fromLogits: true});
    probs.runs.forEach((p, i) => {
      expect(logits.runs[i].evaluations[0].metrics.auroc).toBeCloseTo(p.evaluations[0].metrics.auroc, 2);
      expect(logits.runs[i].history.loss[2]).toBeCloseTo(p.history.loss[2], 3);
    });
  });

  it("standardize: 'minmax' scales every feature to [0, 1] with the training rows' min and max", async () => {
    const idx = Array.from({length: DATA.numRows}, (_, i) => i);
    const split = {train: idx.slice(0, 80), validation: idx.slice(80, 100), test: idx.slice(100)};
    const d = DATA.numFeatures;
    const col = (rows: number[], j: number) => rows.map(i => DATA.features[i * d + j]);
    const lo = Array.from({length: d}, (_, j) => Math.min(...col(split.train, j)));
    const hi = Array.from({length: d}, (_, j) => Math.max(...col(split.train, j)));
    let test: number[] = [];
    const r = await run(DATA, {
      methods: ['ce'], epochs: 1, splits: [split], standardize: 'minmax',
      onModel: (_model, _run, rows) => {
        test = Array.from(rows.test.xs.dataSync());
      },
    });
    expect(r.config.standardize).toBe('minmax');
    split.test.forEach((i, k) => {
      for (let j = 0; j < d; j++) expect(test[k * d + j]).toBeCloseTo((DATA.features[i * d + j] - lo[j]) / (hi[j] - lo[j]), 5);
    });
  });

  it('records a diverging run with its reason and goes on with the others', async () => {
    const r = await run(DATA, {methods: ['ce'], epochs: 2, repeats: 1, learningRate: 1e30});
    expect(r.runs[0].error).toMatch(/diverged|not finite|NaN/);
    expect(r.runs[0].evaluations).toEqual([]);
    expect(r.summary[0].failed).toBe(1);
  });
});

describe('compare.prepare rejects bad input before training', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['a class with one row', () => prepare({...DATA, labels: Int32Array.from(DATA.labels, (y, i) => (i === 7 ? 2 : y)), numClasses: 3, classNames: undefined}), /^data\.labels\[7\]: expected at least 2 rows of every class .*got 1 row of class "2"/],
    ['a label out of range', () => prepare({...DATA, labels: Int32Array.from(DATA.labels, (y, i) => (i === 3 ? 5 : y))}), /^data\.labels\[3\]: expected a class index in \[0, 1\], got 5/],
    ['a NaN feature', () => prepare({...DATA, features: Float32Array.from(DATA.features, (v, i) => (i === 9 ? NaN : v))}), /^data\.features \(row 2, value 1\): expected a finite number, got NaN/],
    ['an unknown method', () => prepare(DATA, {methods: ['ce', 'svm']}), /^methods\[1\]: expected a method name .*got "svm"/],
    ['two losses', () => prepare(DATA, {methods: ['dwb+focal']}), /^methods\[0\]: expected at most one loss and one sampler/],
    ['an unknown option', () => prepare(DATA, {methods: [{method: 'focal', options: {focal: {gama: 1}}}]}), /^methods\[0\]\.options\.focal\.gama: expected an option of focal: did you mean 'gamma'\? \(focal takes gamma, alpha\)/],
    ['a bad option value', () => prepare(DATA, {methods: [{method: 'focal', options: {focal: {gamma: -1}}}]}), /^gamma: expected a finite number >= 0, got -1/],
    ['rwwce without costs', () => prepare(DATA, {methods: ['rwwce']}), /^methods\[0\]: expected costs for rwwce/],
    ['the same label twice', () => prepare(DATA, {methods: ['ce', 'ce']}), /^methods\[1\]: expected methods with distinct labels/],
    ['an unknown monitor', () => prepare(DATA, {monitor: 'val_accuracy2'}), /^monitor: expected one of val_loss, val_balancedAccuracy/],
    ['tuning without validation rows', () => prepare(DATA, {threshold: 'tuned', splits: {kind: 'stratified', validation: 0, test: 0.25}}), /^threshold: expected a number \(tuning needs validation rows/],
    ['an unknown metric', () => prepare(DATA, {metrics: ['gmean', 'kappa']}), /^metrics\[1\]: expected one of balancedAccuracy/],
    ['binary costs on 3 classes', () => prepare(blobs([20, 20, 10]), {costs: {costFN: 1, costFP: 2}}), /^costs: expected a per-class cost vector/],
    ['overlapping fixed splits', () => prepare(DATA, {splits: [{train: [0, 1, 2], test: [2, 3]}]}), /^splits\[0\]\.test\[0\]: expected a row in one part only/],
    ['an unknown scaling', () => prepare(DATA, {standardize: 'robust' as never}), /^standardize: expected true, false or 'minmax', got "robust"/],
    ['a non-boolean fromLogits', () => prepare(DATA, {fromLogits: 'yes' as never}), /^fromLogits: expected a boolean, got "yes"/],
    ['more repeats than fixed splits', () => prepare(DATA, {repeats: 2, splits: [{train: [0, 1, 2], test: [3, 4]}]}), /^repeats: expected at most 1/],
  ];
  it.each(bad)('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
