// What the CommonJS and ES-module consumers both run; prints one JSON line.
async function run(tf, imb, imbNode, losses, how) {
  await tf.setBackend('cpu');
  const start = tf.memory().numTensors;
  const n = 48;
  const labels = Array.from({length: n}, (_, i) => (i % 6 === 0 ? 1 : 0));
  const xs = tf.tensor2d(labels.map((y, i) => [y + Math.sin(i), Math.cos(i), 1]), [n, 3]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 2));
  const model = tf.sequential({layers: [tf.layers.dense({inputShape: [3], units: 2, activation: 'softmax'})]});
  const loss = imb.losses.dwb({classCounts: imb.data.classCounts(ys)});
  model.compile({optimizer: 'adam', loss, metrics: [imb.metrics.gmean()]});
  const exact = new imb.callbacks.ExactMetrics({metrics: [imb.metrics.gmean()]});
  const fit = await model.fit(xs, ys, {epochs: 1, batchSize: 16, callbacks: [exact], verbose: 0});
  const remixed = imb.data.fromTensors(xs, ys, {seed: 1}).remix({batchSize: 12, numClasses: 2, seed: 1});
  const fitDs = await model.fitDataset(remixed, {epochs: 1, verbose: 0});
  const satimage = imbNode.datasets.satimage({task: 'binary'});
  model.dispose();
  loss.dispose();
  tf.dispose([xs, ys]);
  console.log(JSON.stringify({
    how,
    version: imb.VERSION,
    sameNamespaces: imbNode.losses === imb.losses && losses.dwb === imb.losses.dwb,
    remixIsMethod: typeof tf.data.array([1]).remix === 'function',
    gmean: fit.history.gmean[0],
    remixLoss: fitDs.history.loss[0],
    satimageRows: satimage.numRows,
    leaked: tf.memory().numTensors - start,
  }));
}
module.exports = {run};
