import * as tf from '@tensorflow/tfjs';
import {resolveLogs} from '../../src/callbacks/logs';

describe('resolveLogs', () => {
  it('replaces scalar tensors by numbers in place, disposes them, leaves numbers alone', async () => {
    const t = tf.scalar(0.25);
    const logs: {[k: string]: unknown} = {loss: t, acc: 0.5};
    const out = await resolveLogs(logs);
    expect(out).toBe(logs);
    expect(out).toEqual({loss: 0.25, acc: 0.5});
    expect(t.isDisposed).toBe(true);
    expect(await resolveLogs(undefined)).toEqual({});
  });
});
