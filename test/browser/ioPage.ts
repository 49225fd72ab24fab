// Bundled by test/browser/io.test.ts with esbuild and run in Chromium: imb.io.save /
// imb.io.load through indexeddb:// (a browser-only scheme tfjs registers there).
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src'; // the browser-safe main entry

async function roundTrip(): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const model = tf.sequential({layers: [
    tf.layers.dense({units: 8, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}),
    tf.layers.dense({units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}),
  ]});
  const counts = [20, 8, 4];
  model.compile({optimizer: tf.train.adam(0.02), loss: imb.losses.csl({numClasses: 3, base: imb.losses.dwb({classCounts: counts})}), metrics: [imb.metrics.gmean(), 'accuracy']});
  const labels = Array.from({length: 32}, (_, i) => (i % 8 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
  const xs = tf.tensor2d(labels.flatMap((l, i) => [l, Math.sin(i), Math.cos(i), l === 2 ? 1 : 0]), [32, 4]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  await model.fit(xs, ys, {epochs: 1, batchSize: 8, shuffle: false, verbose: 0});
  await imb.io.save(model, 'indexeddb://imb-io-test', {includeOptimizer: true});
  const loaded = await imb.io.load('indexeddb://imb-io-test');
  const predict = (m: tf.LayersModel) => tf.tidy(() => (m.predict(xs) as tf.Tensor).arraySync());
  const same = JSON.stringify(predict(loaded)) === JSON.stringify(predict(model));
  const next = async (m: tf.LayersModel) => (await m.fit(xs, ys, {epochs: 1, batchSize: 8, shuffle: false, verbose: 0})).history.loss[0] as number;
  const expected = await next(model);
  const got = await next(loaded);
  const models = Object.keys(await tf.io.listModels());
  return {same, expected, got, models, loss: (loaded.loss as unknown as {config: unknown}).config, backend: tf.getBackend()};
}

(window as unknown as {roundTrip: typeof roundTrip}).roundTrip = roundTrip;
