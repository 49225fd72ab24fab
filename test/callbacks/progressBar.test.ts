import * as tf from '@tensorflow/tfjs';
import {ProgressBar, formatDuration, orderLogKeys, wrapItems} from '../../src/callbacks/progressBar';
import {ExactMetrics} from '../../src/callbacks/exactMetrics';
import {CSL} from '../../src/callbacks/csl';
import {csl} from '../../src/losses/csl';
import * as metrics from '../../src/metrics';
import {expectNoGrowth, smallModel, tensorCountsPerEpoch, toyData} from '../helpers';

function fakeStream(isTTY: boolean, columns = 200) {
  const chunks: string[] = [];
  return {chunks, stream: {isTTY, columns, write: (s: string) => chunks.push(s)}};
}

/** The text lines of a chunk, without the cursor moves and clears. */
const textLines = (chunk: string) => chunk.replace(/\r|\x1b\[\d*[AJK]/g, '').replace(/\n$/, '').split('\n');

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
    const [line, ...more] = bar.render(1, {loss: 0.5, acc: 0.75, batch: 0}, false);
    expect(line).toMatch(/loss 0\.5000/);
    expect(line).not.toMatch(/acc/);
    expect(more).toEqual([]);
  });

  it('orders training loss and metrics first, validation next, diagnostics last; wraps at the width', () => {
    expect(orderLogKeys(['val_loss', 'val_acc', 'csl_a_0', 'acc', 'loss', 'crcen_fn', 'gmean', 'val_gmean']))
      .toEqual(['loss', 'acc', 'gmean', 'val_loss', 'val_acc', 'val_gmean', 'csl_a_0', 'crcen_fn']);
    expect(wrapItems('head', ['aaaa', 'bbbb', 'cccc'], 16)).toEqual(['head  aaaa  bbbb', '  cccc']);
    expect(wrapItems('head', ['a'.repeat(30)], 16)).toEqual(['head', `  ${'a'.repeat(30)}`]);
  });

  it('shrinks the bar so the first line fits a narrow terminal', async () => {
    const bar = new ProgressBar({stream: fakeStream(true).stream, width: 30});
    bar.setParams({epochs: 10, samples: 200, batchSize: 10});
    const model = smallModel(4, 2);
    bar.setModel(model);
    await bar.onTrainBegin();
    await bar.onEpochBegin(0);
    const wide = bar.render(7, {loss: 0.5}, false, 120)[0];
    expect(wide).toMatch(/\[=+> +\] 7\/20 ETA/);
    expect(wide.indexOf(']') - wide.indexOf('[')).toBe(31);
    const [narrow, ...rest] = bar.render(7, {loss: 0.5}, false, 45);
    expect(narrow.length).toBeLessThanOrEqual(44);
    expect(narrow).toMatch(/\[=+> *\] 7\/20 ETA/);
    expect(rest).toEqual(['  loss 0.5000']);
    await bar.onTrainEnd();
    model.dispose();
  });

  for (const columns of [80, 120]) {
    it(`at ${columns} columns shows every key, training loss first, in lines that fit (ExactMetrics and CSL keys included)`, async () => {
      const {chunks, stream} = fakeStream(true, columns);
      const model = smallModel(4, 2, 'linear');
      const loss = csl({numClasses: 2, fromLogits: true});
      model.compile({optimizer: 'sgd', loss, metrics: ['accuracy']});
      const exact = new ExactMetrics({metrics: [metrics.gmean({fromLogits: true}), metrics.ece({fromLogits: true}), metrics.auroc({fromLogits: true}), metrics.f1({fromLogits: true})]});
      // The bar is listed first: it still shows the keys the callbacks after it write for that epoch.
      const h = await model.fit(xs, ys, {
        epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25,
        callbacks: [new ProgressBar({stream, refreshMs: 0}), exact, new CSL(loss)],
      });
      const final = chunks.filter(c => c.endsWith('\n'));
      expect(final).toHaveLength(1);
      const lines = textLines(final[0]);
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns - 1);
      const text = lines.join('  ');
      const shown = [...text.matchAll(/(\S+) -?\d/g)].map(m => m[1]).filter(k => k in h.history);
      expect(new Set(shown)).toEqual(new Set(Object.keys(h.history)));
      expect(lines[0]).toMatch(/ loss \d/);
      expect(text.indexOf(' loss ')).toBeLessThan(text.indexOf('val_'));
      expect(text.indexOf('val_gmean')).toBeLessThan(text.indexOf('csl_'));
      // In-progress redraws of a multi-line block go back up to its first line.
      const redraws = chunks.filter(c => !c.endsWith('\n'));
      expect(redraws.length).toBeGreaterThan(0);
      model.dispose();
      loss.dispose();
    });
  }
});
