// A consumer of the packed package (copied into the temporary consumer
// project by test/packaging/consumer.test.ts; not compiled with the repo).
// Type-checked with `tsc --noEmit --strict` and bundled for the browser with a
// plain `esbuild --bundle --format=esm --platform=browser`.
import * as tf from '@tensorflow/tfjs';
import * as imb from 'tfjs-imbalanced';

/** Trains a tiny softmax model with DWB, a compile metric, ExactMetrics and a ReMix dataset. */
export async function train(): Promise<{gmean: number; valEce: number; remixLoss: number}> {
  const n = 64;
  const labels = Array.from({length: n}, (_, i) => (i % 8 === 0 ? 1 : 0));
  const xs = tf.tensor2d(labels.map((y, i) => [y + Math.sin(i), Math.cos(i), y * 0.5, 1]), [n, 4]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 2));
  const counts: number[] = imb.data.classCounts(ys);

  const model = tf.sequential({layers: [tf.layers.dense({inputShape: [4], units: 2, activation: 'softmax'})]});
  const loss: imb.losses.LossFunction = imb.losses.dwb({classCounts: counts});
  model.compile({optimizer: 'adam', loss, metrics: [imb.metrics.gmean()]});
  const exact = new imb.callbacks.ExactMetrics({metrics: [imb.metrics.gmean(), imb.metrics.ece({bins: 10})]});
  const history = await model.fit(xs, ys, {epochs: 2, batchSize: 16, validationData: [xs, ys], callbacks: [exact], verbose: 0});

  const ds: tf.data.Dataset<tf.TensorContainer> = tf.data.zip({xs: tf.data.array(xs.arraySync()), ys: tf.data.array(labels)});
  const remixed = ds.remix({batchSize: 16, numClasses: 2, seed: 1});
  const remixHistory = await model.fitDataset(remixed, {epochs: 1, verbose: 0});

  const result = {
    gmean: history.history.gmean[1] as number,
    valEce: history.history.val_ece[1] as number,
    remixLoss: remixHistory.history.loss[0] as number,
  };
  model.dispose();
  loss.dispose();
  tf.dispose([xs, ys]);
  return result;
}
