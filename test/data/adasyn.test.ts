import * as tf from '@tensorflow/tfjs';
import {ADASYN, adasyn, apportion} from '../../src/data/adasyn';
import {Random} from '../../src/core/random';

function data(sep: number): {x: number[][]; y: number[]} {
  const rng = new Random(21);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 90; i++) {
    const c = i % 6 === 0 ? 1 : 0;
    x.push([rng.normal() + sep * c, rng.normal(), rng.normal()]);
    y.push(c);
  }
  return {x, y};
}

describe('ADASYN', () => {
  it('apportion: largest remainders, exact total, ties to the lower index', () => {
    expect(Array.from(apportion([1, 1, 1], 10))).toEqual([4, 3, 3]);
    expect(Array.from(apportion([0.2, 0, 0.6, 0.2], 7))).toEqual([2, 0, 4, 1]);
  });

  it('rows with more other-class neighbours seed more synthetic rows; counts exact; segments within the class', () => {
    const {x, y} = data(1);
    const res = adasyn(x, y, {seed: 3});
    expect(res.ys.filter(c => c === 1).length).toBe(75);
    const perSeed = new Map<number, number>();
    res.synthetic.sample.forEach(s => perSeed.set(s, (perSeed.get(s) ?? 0) + 1));
    let sum = 0;
    y.forEach((c, i) => {
      if (c !== 1) return expect(res.densityRatio[i]).toBe(0);
      sum += res.densityRatio[i];
      // g_i = r^_i G to within one row.
      expect(Math.abs((perSeed.get(i) ?? 0) - res.densityRatio[i] * 60)).toBeLessThan(1);
    });
    expect(sum).toBeCloseTo(1, 12);
    res.synthetic.neighbor.forEach(j => expect(y[j]).toBe(1));
  });

  it('a fully separated class has no hard rows: a clear error', () => {
    const {x, y} = data(50);
    expect(() => adasyn(x, y, {seed: 1})).toThrow(/^ys: expected some row of class 1 with a neighbour of another class/);
  });

  it('tensors in and out, same seed same rows, no leaked tensors', () => {
    const {x, y} = data(1);
    const xs = tf.tensor2d(x);
    const ys = tf.tensor1d(y, 'int32');
    const before = tf.memory().numTensors;
    const a = new ADASYN({seed: 8}).fitResample(xs, ys);
    const b = adasyn(xs, ys, {seed: 8, kernel: 'tf'});
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(Array.from(a.xs.dataSync())).toEqual(Array.from(b.xs.dataSync()));
    tf.dispose([xs, ys, a.xs, a.ys, b.xs, b.ys]);
  });
});
