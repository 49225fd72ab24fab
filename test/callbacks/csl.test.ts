import * as tf from '@tensorflow/tfjs';
import {CSL} from '../../src/callbacks/csl';
import {csl, cslTerm} from '../../src/losses/csl';
import {dwb} from '../../src/losses/dwb';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose, expectNoGrowth, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Spec: specs/csl.md §1.3 (validation side effects), §1.6 (epoch-wise variant), oracle 7.1 semantics in fit.

interface Call { y: number[]; z: number[][] }

/** A metric that records every (yTrue, yPred) the loss sees: tfjs calls metrics on the same outputs, right after the loss. */
function recorder(): {fn: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor; calls: Call[]} {
  const calls: Call[] = [];
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => {
    calls.push({y: tf.tidy(() => tf.argMax(yTrue, 1).arraySync() as number[]), z: yPred.arraySync() as number[][]});
    return tf.zeros([yPred.shape[0]]);
  };
  Object.defineProperty(fn, 'name', {value: 'rec'});
  return {fn, calls};
}

function data(n: number, shares: number[], seed: number): {xs: tf.Tensor2D; ys: tf.Tensor2D; labels: number[]} {
  const {xs, labels} = toyData(n, 4, shares, seed);
  return {xs, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), shares.length).toFloat() as tf.Tensor2D, labels};
}

function replay(loss: ReturnType<typeof csl>, calls: Call[]): void {
  calls.forEach(c => tf.dispose(loss(tf.tensor1d(c.y, 'int32'), tf.tensor2d(c.z))));
}

const KEYS = ['S', 'N', 'H', 'gamma', 'r', 'a'] as const;

describe('callbacks.CSL, batch mode (REF) inside model.fit', () => {
  const train = data(40, [0.6, 0.3, 0.1], 3);
  const val = data(12, [0.4, 0.3, 0.3], 5);

  it('reproduces calling the loss directly on the same batches, train and validation (oracle 7.1 semantics)', async () => {
    const loss = csl({numClasses: 3, fromLogits: true});
    const rec = recorder();
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: tf.train.sgd(0.2), loss, metrics: [rec.fn]});
    const cb = new CSL(loss);
    const h = await model.fit(train.xs, train.ys, {epochs: 2, batchSize: 8, shuffle: false, validationData: [val.xs, val.ys], callbacks: [cb], verbose: 0});
    // Per epoch: 5 training calls, then 2 validation calls (8 + 4 samples).
    expect(rec.calls.map(c => c.y.length)).toEqual([8, 8, 8, 8, 8, 8, 4, 8, 8, 8, 8, 8, 8, 4]);
    expect(loss.state.updates).toBe(14);
    const ref = csl({numClasses: 3, fromLogits: true});
    for (let epoch = 0; epoch < 2; epoch++) {
      replay(ref, rec.calls.slice(epoch * 7, epoch * 7 + 7));
      const want = ref.state.snapshot();
      const got = cb.history[epoch];
      for (const key of KEYS) expectClose(got[key], want[key], 1e-5, 1e-5);
      // The same values reach history.history (γ clipped to ±1e6 for N_i = 0).
      for (let i = 0; i < 3; i++) {
        expect(h.history[`csl_a_${i}`][epoch]).toBeCloseTo(got.a[i], 5);
        expect(h.history[`csl_gamma_${i}`][epoch]).toBe(Math.max(-1e6, Math.min(1e6, got.gamma[i])));
        expect(h.history[`csl_N_${i}`][epoch]).toBe(got.N[i]);
      }
    }
    const end = loss.state.snapshot();
    const want = ref.state.snapshot();
    expectClose(end.normSum, want.normSum, 1e-5);
    expect(end.normCount).toEqual(want.normCount);
    expect(end.prevCounts).toEqual(want.prevCounts);
    // After fit the loss is unmanaged again: every call updates it (REF).
    expect(loss.state.managed).toBe(false);
    expect(loss.state.phase).toBe('train');
    model.dispose();
  });

  it('updateOnValidation: false updates on training calls only', async () => {
    const loss = csl({numClasses: 3, fromLogits: true});
    const rec = recorder();
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: tf.train.sgd(0.2), loss, metrics: [rec.fn]});
    await model.fit(train.xs, train.ys, {
      epochs: 2, batchSize: 8, shuffle: false, validationData: [val.xs, val.ys], callbacks: [new CSL(loss, {updateOnValidation: false})], verbose: 0,
    });
    expect(loss.state.updates).toBe(10);
    const ref = csl({numClasses: 3, fromLogits: true});
    replay(ref, [...rec.calls.slice(0, 5), ...rec.calls.slice(7, 12)]);
    const got = loss.state.snapshot();
    const want = ref.state.snapshot();
    for (const key of KEYS) expectClose(got[key], want[key], 1e-5, 1e-5);
    expect(loss.config.options.updateOnValidation).toBe(false);
    model.dispose();
  });

  it('reset rules: never (default) carries the state across fit calls; trainBegin empties it', async () => {
    const loss = csl({numClasses: 3, fromLogits: true});
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: 'sgd', loss});
    const keep = new CSL(loss, {log: false});
    await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 8, callbacks: [keep], verbose: 0});
    await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 8, callbacks: [keep], verbose: 0});
    expect(loss.state.updates).toBe(10);
    expect(keep.history.length).toBe(2);
    expect(loss.state.snapshot().normCount.reduce((s, v) => s + v, 0)).toBe(80);
    const fresh = new CSL(loss, {reset: 'trainBegin'});
    const h = await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 8, callbacks: [fresh], verbose: 0});
    expect(loss.state.updates).toBe(5);
    expect(loss.state.snapshot().normCount.reduce((s, v) => s + v, 0)).toBe(40);
    expect(Object.keys(h.history).filter(k => k.startsWith('csl_')).length).toBe(18);
    model.dispose();
  });
});

describe('callbacks.CSL, epoch mode (csl.md §1.6)', () => {
  // Long-tailed training set (70 / 20 / 10 %), balanced-ish validation set.
  const train = data(120, [0.7, 0.2, 0.1], 11);
  const val = data(60, [0.34, 0.33, 0.33], 12);

  it('logs N = validation argmax counts, γ = S/(max S·H), r = ∓k on a count rise/fall, a = (γNρ + r)²', async () => {
    const loss = csl({numClasses: 3, fromLogits: true, mode: 'epoch', targetClasses: [0, 2]});
    const rec = recorder();
    const model = smallModel(4, 3, 'linear', 5);
    model.compile({optimizer: tf.train.adam(0.05), loss, metrics: [rec.fn]});
    const cb = new CSL(loss);
    const probeCounts: number[][] = [];
    const probe = new tf.CustomCallback({
      onEpochEnd: async () => {
        // The weights have not changed since validation ran.
        const pred = tf.tidy(() => tf.argMax(model.predict(val.xs) as tf.Tensor, 1).arraySync() as number[]);
        probeCounts.push([0, 1, 2].map(c => pred.filter(p => p === c).length));
      },
    });
    const epochs = 6;
    const h = await model.fit(train.xs, train.ys, {epochs, batchSize: 16, shuffle: false, validationData: [val.xs, val.ys], callbacks: [cb, probe], verbose: 0});
    const k = 2;
    const V = 60;
    const rho = 16 / V;
    const L = -Math.log(1 / V + 1e-6);
    const normSum = [0, 0, 0];
    const normCount = [0, 0, 0];
    let moved = 0;
    for (let t = 0; t < epochs; t++) {
      const N = [0, 1, 2].map(i => h.history[`csl_N_${i}`][t] as number);
      expect(N).toEqual(probeCounts[t]);
      // Storage: training calls only (8 per epoch), cumulative.
      rec.calls.slice(t * 12, t * 12 + 8).forEach(c => c.y.forEach((yc, n) => {
        normSum[yc] += Math.hypot(...c.z[n]);
        normCount[yc] += 1;
      }));
      const S = normSum.map((s, i) => (s / normCount[i]) ** 2);
      const H = N.map(n => (n / V) * L);
      const sMax = Math.max(...S) + 1e-6;
      const gamma = S.map((s, i) => s / (1e-6 + sMax * H[i]));
      const r = N.map((n, i) => (t === 0 || i === 1 ? 0 : -k * Math.sign(n - probeCounts[t - 1][i])));
      const a = N.map((n, i) => (n > 0 ? (gamma[i] * n * rho + r[i]) ** 2 : r[i] ** 2));
      for (let i = 0; i < 3; i++) {
        expectClose(h.history[`csl_S_${i}`][t] as number, S[i], 1e-4);
        expectClose(h.history[`csl_H_${i}`][t] as number, H[i], 1e-6);
        expectClose(h.history[`csl_gamma_${i}`][t] as number, Math.max(-1e6, Math.min(1e6, gamma[i])), 1e-4);
        expect(h.history[`csl_r_${i}`][t]).toBe(r[i] === 0 ? 0 : r[i]);
        expectClose(h.history[`csl_a_${i}`][t] as number, a[i], 1e-3, 1e-6);
        if (r[i] !== 0) moved += 1;
      }
      expect(cb.history[t].samples).toBe(V);
      expectClose(cb.history[t].rho!, rho);
    }
    expect(moved).toBeGreaterThan(0); // the counts did move, so the r rule was exercised
    // Training after epoch 0 uses the coefficients: the loss is CE + L_csl(a).
    const a = loss.state.snapshot().a;
    expect(a.some(v => v > 0)).toBe(true);
    loss.state.phase = 'off';
    const z = model.predict(val.xs) as tf.Tensor2D;
    const perSample = take<number[]>(loss(tf.tensor1d(val.labels, 'int32'), z));
    const ceVals = take<number[]>(tf.losses.softmaxCrossEntropy(val.ys, z, undefined, 0, tf.Reduction.NONE));
    const term = take<number>(cslTerm(z, tf.tensor1d(a)));
    expectClose(perSample.map((v, n) => v - ceVals[n]), new Array(V).fill(term), 1e-4, 1e-6);
    model.dispose();
  });

  it('without validation data, counts the training predictions (V = training samples)', async () => {
    const loss = csl({numClasses: 3, fromLogits: true});
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: 'adam', loss});
    const cb = new CSL(loss, {mode: 'epoch', rho: 1});
    const h = await model.fit(train.xs, train.ys, {epochs: 2, batchSize: 16, callbacks: [cb], verbose: 0});
    for (let t = 0; t < 2; t++) {
      expect([0, 1, 2].reduce((s, i) => s + (h.history[`csl_N_${i}`][t] as number), 0)).toBe(120);
      expect(cb.history[t].samples).toBe(120);
      expect(cb.history[t].rho).toBe(1);
    }
    expect(loss.config.options.mode).toBe('epoch');
    model.dispose();
  });
});

describe('callbacks.CSL with fitDataset', () => {
  const train = data(48, [0.6, 0.3, 0.1], 21);
  const val = data(20, [0.4, 0.3, 0.3], 22);
  const ds = () => tf.data.zip({xs: tf.data.array(train.xs.unstack()), ys: tf.data.array(train.ys.unstack())}).batch(16) as unknown as tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>;
  const valDs = () => tf.data.zip({xs: tf.data.array(val.xs.unstack()), ys: tf.data.array(val.ys.unstack())}).batch(8) as unknown as tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>;

  for (const mode of ['batch', 'epoch'] as const) {
    for (const withVal of [false, true]) {
      it(`${mode} mode, ${withVal ? 'with' : 'without'} validation: keys reach history, calls are phased`, async () => {
        const loss = csl({numClasses: 3, fromLogits: true, mode});
        const model = smallModel(4, 3, 'linear');
        model.compile({optimizer: 'adam', loss});
        const cb = new CSL(loss);
        const h = await model.fitDataset(ds(), {epochs: 2, callbacks: [cb], verbose: 0, ...(withVal ? {validationData: valDs()} : {})});
        for (const key of KEYS) expect(h.history[`csl_${key}_2`]).toHaveLength(2);
        if (mode === 'batch') {
          // 3 training batches per epoch, + 3 validation batches (8, 8, 4) when validating.
          expect(loss.state.updates).toBe(withVal ? 12 : 6);
        } else {
          expect(cb.history.map(e => e.samples)).toEqual(withVal ? [20, 20] : [48, 48]);
          expect(loss.state.updates).toBe(2);
        }
        model.dispose();
      });
    }
  }

  it('tensor validation data in fitDataset counts as validation', async () => {
    const loss = csl({numClasses: 3, fromLogits: true, mode: 'epoch'});
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: 'adam', loss});
    const cb = new CSL(loss);
    await model.fitDataset(ds(), {epochs: 1, callbacks: [cb], verbose: 0, validationData: [val.xs, val.ys]});
    expect(cb.history[0].samples).toBe(20);
    model.dispose();
  });
});

describe('callbacks.CSL memory', () => {
  it('does not leak tensors across epochs (batch and epoch mode, with validation)', async () => {
    const {xs, ys} = data(96, [0.7, 0.2, 0.1], 31);
    for (const mode of ['batch', 'epoch'] as const) {
      const loss = csl({numClasses: 3, fromLogits: true, mode});
      const model = smallModel(4, 3, 'linear');
      model.compile({optimizer: 'adam', loss});
      const counts = await tensorCountsPerEpoch(model, xs, ys, {validationSplit: 0.25, callbacks: [new CSL(loss)]}, 3);
      expectNoGrowth(counts);
      model.dispose();
      loss.state.dispose();
    }
  });
});

describe('callbacks.CSL misuse', () => {
  it('rejects something that is not a CSL loss, and bad options', () => {
    expect(() => new CSL(dwb({classWeights: [1, 2]}) as never)).toThrow(ImbalancedInputError);
    expect(() => new CSL(dwb({classWeights: [1, 2]}) as never)).toThrow(/cslLoss: expected a loss made by losses.csl.*"dwb"/);
    expect(() => new CSL(undefined as never)).toThrow(/cslLoss/);
    const loss = csl({numClasses: 3});
    expect(() => new CSL(loss, {mode: 'epochs' as never})).toThrow(/^mode:/);
    expect(() => new CSL(loss, {k: -2})).toThrow(/^k:/);
    expect(() => new CSL(loss, {targetClasses: [3]})).toThrow(/targetClasses\[0\]/);
    expect(() => new CSL(loss, {log: 'yes' as never})).toThrow(/^log:/);
    expect(() => new CSL(loss, {reset: 'always' as never})).toThrow(/^reset:/);
    expect(() => new CSL(loss, {rho: -1})).toThrow(/^rho:/);
    expect(loss.config.options.mode).toBe('batch'); // failed overrides leave the loss alone
  });

  it('fails at onTrainBegin when the model was not compiled with that loss', async () => {
    const {xs, ys} = data(16, [0.5, 0.5, 0], 41);
    const loss = csl({numClasses: 3, fromLogits: true});
    const other = csl({numClasses: 3, fromLogits: true});
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: 'sgd', loss: other});
    await expect(model.fit(xs, ys, {epochs: 1, callbacks: [new CSL(loss)], verbose: 0})).rejects.toThrow(/cslLoss: expected the loss the model was compiled with.*\[csl\]/);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    await expect(model.fit(xs, ys, {epochs: 1, callbacks: [new CSL(loss)], verbose: 0})).rejects.toThrow(ImbalancedInputError);
    model.compile({optimizer: 'sgd', loss, metrics: [loss]});
    await expect(model.fit(xs, ys, {epochs: 1, callbacks: [new CSL(loss)], verbose: 0})).rejects.toThrow(/metrics: expected no CSL loss among the metrics/);
    model.dispose();
  });
});
