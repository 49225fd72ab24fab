/**
 * Save a model compiled with this package's loss and metrics, load it back
 * compiled, and keep training where it stopped.
 *
 *   npx tsx examples/save-load.ts            # saves to a temp directory (file://)
 *   npx tsx examples/save-load.ts --dir out  # keeps out/model.json + out/weights.bin
 *
 * In a browser use 'indexeddb://name' (or 'localstorage://name',
 * 'downloads://name', an http URL, or any tf.io.IOHandler) instead of file://.
 */
import * as tf from '@tensorflow/tfjs';
import {mkdtempSync, readdirSync, statSync} from 'fs';
import {tmpdir} from 'os';
import * as path from 'path';
import * as imb from '../src/node'; // the Node entry: file:// for io.save / io.load, dataset files

async function main(): Promise<void> {
  const dirArg = process.argv.indexOf('--dir');
  const dir = dirArg >= 0 ? path.resolve(process.argv[dirArg + 1]) : mkdtempSync(path.join(tmpdir(), 'imb-save-load-'));
  const {backend} = await imb.backend.init();

  const {train, test} = imb.datasets.stratifiedSplit(imb.datasets.satimage(), {testFraction: 0.25, seed: 1});
  const [trainStd, testStd] = imb.datasets.standardize(train, test);
  const t = imb.datasets.toTensors(trainStd);
  const te = imb.datasets.toTensors(testStd);
  const numClasses = train.classNames.length;
  const ys = tf.oneHot(t.ys, numClasses);
  const yTest = tf.oneHot(te.ys, numClasses);

  const model = tf.sequential();
  model.add(tf.layers.dense({units: 32, inputShape: [t.xs.shape[1]], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})}));
  model.add(tf.layers.dense({units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.compile({
    optimizer: tf.train.adam(0.005),
    loss: imb.losses.dwb({classCounts: imb.data.classCounts(t.ys)}),
    metrics: [imb.metrics.gmean(), imb.metrics.ece(), 'accuracy'],
  });
  const fitArgs = {epochs: 5, batchSize: 64, shuffle: false, verbose: 0 as const};
  await model.fit(t.xs, ys, fitArgs);

  // One call each way: loss, metrics, optimizer and its state travel with the model.
  await imb.io.save(model, `file://${dir}`, {includeOptimizer: true});
  const loaded = await imb.io.load(`file://${dir}`);

  const files = readdirSync(dir).map(f => `${f} (${statSync(path.join(dir, f)).size} bytes)`);
  console.log(`backend ${backend}; saved to ${dir}: ${files.join(', ')}`);
  console.log(`loaded loss: ${JSON.stringify((loaded.loss as imb.losses.LossFunction).config)}`);
  console.log(`loaded metrics: ${loaded.metricsNames.join(', ')}; optimizer ${loaded.optimizer.getClassName()} ${JSON.stringify(loaded.optimizer.getConfig())}`);

  const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(te.xs) as tf.Tensor, loaded.predict(te.xs) as tf.Tensor))).dataSync()[0]);
  console.log(`max |prediction difference| on ${te.ys.shape[0]} test rows: ${maxDiff}`);
  const evaluate = (m: tf.LayersModel) => tf.tidy(() => (m.evaluate(te.xs, yTest) as tf.Scalar[]).map(s => s.dataSync()[0].toFixed(6)));
  console.log(`evaluate (${model.metricsNames.join(', ')}): original ${evaluate(model).join(' / ')}, loaded ${evaluate(loaded).join(' / ')}`);

  const original = await model.fit(t.xs, ys, fitArgs);
  const resumed = await loaded.fit(t.xs, ys, fitArgs);
  console.log('\n| epoch | loss, original model | loss, saved and loaded |');
  console.log('|---|---|---|');
  original.history.loss.forEach((l, i) => console.log(`| ${6 + i} | ${(l as number).toFixed(7)} | ${(resumed.history.loss[i] as number).toFixed(7)} |`));

  // The file stays an ordinary tfjs model: tf.loadLayersModel reads it, uncompiled.
  const plain = await tf.loadLayersModel(`file://${dir}/model.json`);
  console.log(`\ntf.loadLayersModel: ${plain.layers.length} layers, compiled: ${plain.optimizer !== undefined}`);

  imb.io.dispose(model);
  imb.io.dispose(loaded);
  plain.dispose();
  tf.dispose([t.xs, t.ys, te.xs, te.ys, ys, yTest]);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
