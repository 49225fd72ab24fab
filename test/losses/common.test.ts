import * as tf from '@tensorflow/tfjs';
import {constantMatrix, constantRow, predictionView, targetMatrix} from '../../src/losses/common';
import {expectClose, take} from '../helpers';

describe('losses/common plumbing', () => {
  it('constantRow / constantMatrix: built once, survive tidy, rebuilt after a dispose', () => {
    const row = constantRow([1, 2, 3]);
    const m = constantMatrix([[0, 1], [2, 0]]);
    const first = tf.tidy(() => row());
    expect(first.shape).toEqual([1, 3]);
    expect(tf.tidy(() => row())).toBe(first); // same kept tensor, not disposed by tidy
    expect(first.isDisposed).toBe(false);
    const before = tf.memory().numTensors;
    const mat = tf.tidy(() => m());
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(mat.shape).toEqual([2, 2]);
    expect(mat.arraySync()).toEqual([[0, 1], [2, 0]]);
    mat.dispose();
    const again = m();
    expect(again).not.toBe(mat);
    expect(again.arraySync()).toEqual([[0, 1], [2, 0]]);
  });

  it('targetMatrix reads sparse [B] / [B, 1], one-hot and sigmoid labels as the same [B, C] matrix', () => {
    const p = tf.tensor2d([[0.2, 0.8], [0.6, 0.4]]);
    const view = predictionView(p, false);
    const want = [[0, 1], [1, 0]];
    expect(take(targetMatrix(tf.tensor1d([1, 0], 'int32'), p, view))).toEqual(want);
    expect(take(targetMatrix(tf.tensor2d([[1], [0]]), p, view))).toEqual(want);
    expect(take(targetMatrix(tf.tensor2d(want, [2, 2], 'int32'), p, view))).toEqual(want);
    const col = tf.tensor2d([[0.8], [0.4]]);
    expect(take(targetMatrix(tf.tensor1d([1, 0]), col, predictionView(col, false)))).toEqual(want);
  });

  it('predictionView: a sigmoid column is [ln(1 - p), ln p]; log1mP is finite where p rounds to 1 (logits)', () => {
    const view = predictionView(tf.tensor2d([[0.25]]), false);
    expectClose(take(view.logP), [Math.log(0.75), Math.log(0.25)], 1e-6);
    const z = tf.tensor2d([[40, 0, -3]]);
    const soft = predictionView(z, true);
    const l = take<number[][]>(soft.log1mP())[0];
    expect(l.every(Number.isFinite)).toBe(true);
    // ln(1 - p_0) = LSE(0, -3) - LSE(40, 0, -3) ≈ -40 + ln(1 + e^-3)
    expectClose(l[0], -40 + Math.log(1 + Math.exp(-3)), 1e-5);
  });
});
