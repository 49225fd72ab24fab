/** core/predict: linear-time prediction passes, equal to model.predict. */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {predictionBatches, rowSource} from '../../src/core/predict';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose, smallModel, toyData} from '../helpers';

describe('predictionBatches', () => {
  const {xs} = toyData(53, 4, [0.5, 0.5], 3);
  const model = smallModel(4, 3);
  const whole = tf.tidy(() => Array.from((model.predict(xs) as tf.Tensor).dataSync()));

  it('yields every row once, in order, equal to model.predict, for any batch size; nothing leaks', async () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 60}), batchSize => {
      const before = tf.memory().numTensors;
      const got: number[] = [];
      let next = 0;
      for (const {outputs, start, end} of predictionBatches(model, xs, batchSize)) {
        expect(start).toBe(next);
        expect(end - start).toBe(Math.min(batchSize, 53 - start));
        next = end;
        got.push(...outputs[0].dataSync());
      }
      expect(next).toBe(53);
      expectClose(got, whole, 1e-6, 1e-7);
      expect(tf.memory().numTensors).toBe(before);
    }), {seed: 5, numRuns: 12});
  });

  it('disposes the current batch when the loop is left early (break or throw)', () => {
    const before = tf.memory().numTensors;
    for (const {start} of predictionBatches(model, xs, 10)) if (start === 20) break;
    expect(() => {
      for (const _ of predictionBatches(model, xs, 10)) throw new Error('stop');
    }).toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('both row strategies (views of rows read once; tf.slice) cut the same rows, for every input', () => {
    const a = tf.tensor3d(Array.from({length: 5 * 2 * 3}, (_, i) => i), [5, 2, 3]);
    const b = tf.tensor1d([10, 11, 12, 13, 14], 'int32');
    for (const host of [true, false]) {
      const [ra, rb] = rowSource([a, b], host)(1, 4);
      expect(ra.shape).toEqual([3, 2, 3]);
      expect(Array.from(ra.dataSync())).toEqual(Array.from({length: 18}, (_, i) => i + 6));
      expect(rb.dtype).toBe('int32');
      expect(Array.from(rb.dataSync())).toEqual([11, 12, 13]);
      tf.dispose([ra, rb]);
    }
    tf.dispose([a, b]);
  });

  it('checks the inputs against the model before predicting', () => {
    const run = (x: tf.Tensor | tf.Tensor[]) => () => [...predictionBatches(model, x, 8)];
    expect(run(tf.zeros([4, 5]))).toThrow(/xs: expected shape \[n, 4\] \(the model's input\), got shape \[4, 5\]/);
    expect(run([xs, xs])).toThrow(ImbalancedInputError);
    expect(run([xs, xs])).toThrow(/xs: expected 1 tensor\(s\), one per model input/);
  });
});
