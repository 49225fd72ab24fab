/**
 * The label-value check of every loss (src/losses/labelCheck.ts): outside a
 * gradient tape bad labels throw at once; under a tape (a training step) they
 * are read asynchronously and the error waits for the loss's next call, once.
 */
import * as tf from '@tensorflow/tfjs';
import {ImbalancedInputError} from '../../src/errors';
import {checkTargetValues, LabelCheck, withLabelCheck} from '../../src/losses/labelCheck';

/** Lets the pending `data()` reads resolve. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('LabelCheck', () => {
  it('throws a reported error once, at the next call, and keeps the first of several', () => {
    const check = new LabelCheck();
    expect(() => check.throwPending()).not.toThrow();
    const first = new ImbalancedInputError('yTrue[3]', 'a class index in [0, 4]', 7);
    check.report(first);
    check.report(new ImbalancedInputError('yTrue[5]', 'a class index in [0, 4]', -1));
    expect(() => check.throwPending()).toThrow(first);
    expect(() => check.throwPending()).not.toThrow();
  });

  it('withLabelCheck raises the pending error before running the body', () => {
    const check = new LabelCheck();
    check.report(new ImbalancedInputError('yTrue[0]', 'a class index in [0, 1]', 2));
    const body = jest.fn(() => 1);
    expect(() => withLabelCheck(check, body)).toThrow(/^yTrue\[0\]: expected a class index in \[0, 1\], got 2/);
    expect(body).not.toHaveBeenCalled();
    expect(withLabelCheck(check, body)).toBe(1);
  });
});

describe('checkTargetValues', () => {
  it('outside a tape: throws at once for a bad class index, a non-integer, a bad soft row or P(y = 1) outside [0, 1]', () => {
    const cases: [tf.Tensor, 'indices' | 'rows' | 'probability', number, RegExp][] = [
      [tf.tensor1d([0, 7, 1]), 'indices', 5, /^yTrue\[1\]: .*got 7/],
      [tf.tensor1d([0, 1.5]), 'indices', 5, /^yTrue\[1\]: .*got 1\.5/],
      [tf.tensor2d([[0.9, 0.9], [0, 1]]), 'rows', 2, /^yTrue\[0\]: /],
      [tf.tensor2d([[0.2], [1.2]]), 'probability', 2, /^yTrue\[1\]: expected P\(y = 1\) in \[0, 1\].*got 1\.2/],
    ];
    for (const [labels, kind, numClasses, message] of cases) {
      expect(() => checkTargetValues(labels, kind, numClasses)).toThrow(message);
      labels.dispose();
    }
    const good = [tf.tensor1d([0, 4, 2]), tf.tensor2d([[0.25, 0.75], [1, 0]]), tf.tensor2d([[0], [0.3], [1]])];
    expect(() => checkTargetValues(good[0], 'indices', 5)).not.toThrow();
    expect(() => checkTargetValues(good[1], 'rows', 2)).not.toThrow();
    expect(() => checkTargetValues(good[2], 'probability', 2)).not.toThrow();
    tf.dispose(good);
  });

  it('under a tape: the step runs, and the active loss\'s next call throws, saying it was a training batch', async () => {
    const check = new LabelCheck();
    const labels = tf.tensor1d([0, 9]);
    const x = tf.scalar(2);
    const grad = tf.grad((v: tf.Tensor) => withLabelCheck(check, () => {
      checkTargetValues(labels, 'indices', 3); // no throw inside the step
      return tf.square(v);
    }));
    const g = grad(x);
    expect(g.dataSync()[0]).toBe(4);
    await settle();
    expect(() => withLabelCheck(check, () => 0)).toThrow(/^yTrue\[1\]: .*got 9 \(in a training batch; reported at the next call of the loss\)$/);
    expect(withLabelCheck(check, () => 0)).toBe(0); // reported once
    // Another loss's check is not affected.
    const other = new LabelCheck();
    expect(() => other.throwPending()).not.toThrow();
    tf.dispose([labels, x, g]);
  });

  it('under a tape: good labels leave nothing pending', async () => {
    const check = new LabelCheck();
    const labels = tf.tensor1d([0, 2, 1]);
    const x = tf.scalar(1);
    const g = tf.grad((v: tf.Tensor) => withLabelCheck(check, () => {
      checkTargetValues(labels, 'indices', 3);
      return tf.square(v);
    }))(x);
    await settle();
    expect(() => check.throwPending()).not.toThrow();
    tf.dispose([labels, x, g]);
  });
});
