import * as tf from '@tensorflow/tfjs';
import {RandomOverSampler, RandomUnderSampler, randomOverSample, randomUnderSample} from '../../src/data/randomSampling';
import {expectNoGrowth, smallModel, tensorCountsPerEpoch} from '../helpers';

const x = Array.from({length: 30}, (_, i) => [i, -i]);
const y = x.map((_, i) => (i % 5 === 0 ? 1 : i % 3 === 0 ? 2 : 0)); // 6 of class 1, 8 of class 2, 16 of class 0

function counts(ys: ArrayLike<number>): number[] {
  const out = [0, 0, 0];
  Array.from(ys).forEach(c => out[c]++);
  return out;
}

describe('randomOverSample', () => {
  it('grows every class to the majority with copies of its own rows; originals first; sampleIndices', () => {
    const res = randomOverSample(x, y, {seed: 1});
    expect(counts(res.ys)).toEqual([16, 16, 16]);
    expect(res.xs.slice(0, 30)).toEqual(x);
    res.xs.forEach((row, r) => {
      expect(row).toEqual(x[res.sampleIndices[r]]);
      expect(res.ys[r]).toBe(y[res.sampleIndices[r]]);
    });
    expect(res.xs[40]).not.toBe(x[res.sampleIndices[40]]); // a copy, not the same array
    // Copies only: integer typed rows keep their type.
    expect(randomOverSample(x.map(r => Int32Array.from(r)), y, {seed: 1}).xs[40]).toBeInstanceOf(Int32Array);
  });

  it('tensors: gathered on the backend (NaN passes through), label encoding kept, deterministic per seed', () => {
    const xs = tf.tensor2d(x.map((r, i) => (i === 5 ? [NaN, 0] : r)));
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 3);
    const before = tf.memory().numTensors;
    const a = randomOverSample(xs, ys, {seed: 4});
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.xs.shape).toEqual([48, 2]);
    expect(a.ys.shape).toEqual([48, 3]);
    // Row 5's NaN is copied as is, wherever row 5 lands in the output.
    const out = a.xs.arraySync() as number[][];
    a.sampleIndices.forEach((i, r) => expect(out[r][0]).toEqual(i === 5 ? NaN : x[i][0]));
    expect(Array.from(a.sampleIndices).filter(i => i === 5).length).toBeGreaterThan(0);
    const b = new RandomOverSampler({seed: 4}).fitResample(xs, ys);
    expect(Array.from(b.xs.dataSync())).toEqual(Array.from(a.xs.dataSync()));
    tf.dispose([xs, ys, a.xs, a.ys, b.xs, b.ys]);
  });
});

describe('randomUnderSample', () => {
  it('shrinks every class but the minority, without replacement, keeping input order', () => {
    const res = randomUnderSample(x, y, {seed: 2});
    expect(counts(res.ys)).toEqual([6, 6, 6]);
    const idx = Array.from(res.sampleIndices);
    expect(idx).toEqual([...idx].sort((p, q) => p - q));
    expect(new Set(idx).size).toBe(18);
    idx.forEach((i, r) => expect(res.xs[r]).toEqual(x[i]));
  });

  it('every subset is possible: over many seeds each row of a shrunk class is kept about 6/16 of the time', () => {
    const kept = new Array<number>(30).fill(0);
    for (let s = 0; s < 400; s++) randomUnderSample(x, y, {seed: s}).sampleIndices.forEach(i => kept[i]++);
    y.forEach((c, i) => {
      if (c === 1) expect(kept[i]).toBe(400);
      if (c === 0) expect(Math.abs(kept[i] / 400 - 6 / 16)).toBeLessThan(0.1);
    });
  });

  it('with replacement draws duplicates; a ratio on binary data', () => {
    const res = new RandomUnderSampler({seed: 3, replacement: true, samplingStrategy: {0: 16}}).fitResample(x, y);
    expect(counts(res.ys)).toEqual([16, 6, 8]);
    const zeros = Array.from(res.sampleIndices).filter(i => y[i] === 0);
    expect(new Set(zeros).size).toBeLessThan(16);
    const bin = y.map(c => (c === 1 ? 1 : 0));
    expect(counts(randomUnderSample(x, bin, {samplingStrategy: 0.5, seed: 1}).ys)).toEqual([12, 6, 0]);
  });

  it('errors name the option', () => {
    expect(() => randomUnderSample(x, y, {samplingStrategy: 'minority'})).toThrow(/^samplingStrategy:/);
    expect(() => randomUnderSample(x, y, {replacement: 'yes' as never})).toThrow(/^replacement: expected a boolean/);
    expect(() => randomOverSample(x, y.slice(2))).toThrow(/^ys: expected 30 labels/);
  });

  it('fit on the resampled tensors does not leak', async () => {
    const {xs, ys} = randomUnderSample(tf.tensor2d(x), tf.oneHot(tf.tensor1d(y, 'int32'), 3), {seed: 1});
    const model = smallModel(2, 3);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {}, 3));
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
