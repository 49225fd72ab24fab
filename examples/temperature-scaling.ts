/**
 * Post-hoc temperature scaling on the shipped satimage data: train an MLP on a
 * small training split (it becomes over-confident), fit T on a validation
 * split, and compare ECE / NLL / accuracy on a separate test split.
 *
 *   npx tsx examples/temperature-scaling.ts
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src/node';

async function main(): Promise<void> {
  const {backend} = await imb.backend.init();
  const split = imb.datasets.stratifiedSplit(imb.datasets.satimage(), {testFraction: 0.5, seed: 5});
  const small = imb.datasets.selectRows(split.train, Array.from({length: 600}, (_, i) => i));
  const half = imb.datasets.stratifiedSplit(split.test, {testFraction: 0.5, seed: 6});
  const [train, val, test] = imb.datasets.standardize(small, half.train, half.test);

  const model = tf.sequential();
  model.add(tf.layers.dense({units: 64, inputShape: [36], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})}));
  model.add(tf.layers.dense({units: 6, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
  const t = imb.datasets.toTensors(train);
  await model.fit(t.xs, tf.oneHot(t.ys, 6), {epochs: 150, batchSize: 600, verbose: 0});

  const v = imb.datasets.toTensors(val);
  const scaler = await imb.calibration.temperatureScaling(model, [v.xs, v.ys]);
  const te = imb.datasets.toTensors(test);
  const raw = model.predict(te.xs) as tf.Tensor;
  const cal = scaler.predict(te.xs);
  const score = (p: tf.Tensor) => {
    const m = {ece: imb.metrics.ece(), acc: imb.metrics.balancedAccuracy(), brier: imb.metrics.brier()};
    Object.values(m).forEach(x => x.update(te.ys, p));
    const nll = tf.tidy(() => tf.neg(tf.mean(tf.log(tf.clipByValue(tf.sum(tf.mul(tf.oneHot(te.ys, 6), p), 1), 1e-7, 1)))).dataSync()[0]);
    return [m.ece.result(), nll, m.brier.result(), m.acc.result()].map(x => (x as number).toFixed(4));
  };
  console.log(`satimage (6 classes), 600 training rows, backend ${backend}; fitted T = ${scaler.temperature.toFixed(3)}`);
  console.log(`validation (used to fit T): ECE ${scaler.before.ece.toFixed(4)} -> ${scaler.after.ece.toFixed(4)}, NLL ${scaler.before.nll.toFixed(4)} -> ${scaler.after.nll.toFixed(4)}\n`);
  console.log(`| test split (${test.numRows} rows) | ECE (15 bins) | NLL | Brier | balanced accuracy |`);
  console.log('|---|---|---|---|---|');
  console.log(`| model as trained | ${score(raw).join(' | ')} |`);
  console.log(`| temperature-scaled | ${score(cal).join(' | ')} |`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
