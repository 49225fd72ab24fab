import * as tf from '@tensorflow/tfjs';
import {ProgressBar, formatDuration} from '../../src/callbacks/progressBar';
import {expectNoGrowth, smallModel, tensorCountsPerEpoch, toyData} from '../helpers';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return {chunks, stream: {isTTY, columns: 200, write: (s: string) => chunks.push(s)}};
}

describe('ProgressBar', () => {
  const {xs, labels} = toyData(64, 4, [0.7, 0.3]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);

  it('draws epochs, batches and logs on a TTY, one final line per epoch', async () => {
    const {chunks, stream} = fakeStream(true);
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy']});
    await model.fit(xs, ys, {epochs: 2, batchSize: 16, verbose: 0, callbacks: [new ProgressBar({stream, refreshMs: 0})]});
    const finals = chunks.filter(c => c.endsWith('\n'));
    expect(finals).toHaveLength(2);
    expect(finals[0]).toMatch(/Epoch 1\/2 \[=+\] 4\/4 .*loss \d\.\d{4}.*acc/);
    expect(finals[1]).toMatch(/Epoch 2\/2/);
    expect(chunks.some(c => /Epoch 1\/2 \[=*>? *\] [123]\/4 ETA/.test(c))).toBe(true);
  });

  it('is quiet when the stream is not a TTY, unless forced', async () => {
    const quiet = fakeStream(false);
    const forced = fakeStream(false);
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    await model.fit(xs, ys, {epochs: 1, batchSize: 32, verbose: 0, callbacks: [new ProgressBar({stream: quiet.stream}), new ProgressBar({stream: forced.stream, force: true})]});
    expect(quiet.chunks).toHaveLength(0);
    expect(forced.chunks.length).toBeGreaterThan(0);
  });

  it('works with fitDataset (unknown steps per epoch) and does not leak', async () => {
    const {chunks, stream} = fakeStream(true);
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const ds = tf.data.zip({xs: tf.data.array(xs.arraySync() as number[][]), ys: tf.data.array(ys.arraySync() as number[][])}).batch(16);
    await model.fitDataset(ds, {epochs: 2, verbose: 0, callbacks: [new ProgressBar({stream, refreshMs: 0})]});
    expect(chunks.filter(c => c.endsWith('\n'))).toHaveLength(2);
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {callbacks: [new ProgressBar({stream})]}));
  });

  it('formats durations and rejects bad options', () => {
    expect(formatDuration(4.23)).toBe('4.2s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(NaN)).toBe('?');
    // Rounding carries into the minutes: never "1m60s" or "60.0s".
    expect(formatDuration(119.6)).toBe('2m00s');
    expect(formatDuration(59.97)).toBe('1m00s');
    expect(formatDuration(59.94)).toBe('59.9s');
    expect(() => new ProgressBar({width: 0})).toThrow(/width/);
    expect(() => new ProgressBar({keys: 'loss' as never})).toThrow(/keys: expected an array of log keys/);
    expect(() => new ProgressBar({force: 'yes' as never})).toThrow(/force: expected a boolean/);
  });

  it('keys limits the logs shown', () => {
    const bar = new ProgressBar({stream: fakeStream(true).stream, keys: ['loss']});
    const line = bar.render(1, {loss: 0.5, acc: 0.75, batch: 0}, false);
    expect(line).toMatch(/loss 0\.5000/);
    expect(line).not.toMatch(/acc/);
  });
});
