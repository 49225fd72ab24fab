// Runs the library with tfjs-core + tfjs-layers + tfjs-data + the cpu backend only,
// i.e. without @tensorflow/tfjs (which also registers chained tensor methods such
// as x.reshape()). The library must not depend on those. Used by core-only.test.ts.
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import * as imb from '../../src';

async function main(): Promise<void> {
  await tfc.setBackend('cpu');
  if (typeof (tfc.zeros([1]) as unknown as {reshape?: unknown}).reshape === 'function') throw new Error('chained ops are registered: the check is void');
  const model = tfl.sequential({layers: [tfl.layers.dense({units: 3, inputShape: [2], activation: 'softmax'})]});
  const xs = tfc.tensor2d([[0, 1], [1, 0], [1, 1], [0, 0]]);
  const ys = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0], 'int32'), 3);
  const counts = imb.data.classCounts(ys);
  const losses = [
    imb.losses.dwb({classCounts: counts}), imb.losses.crcen({classCounts: counts}), imb.losses.focal(),
    imb.losses.classBalanced({classCounts: counts, base: 'focal'}), imb.losses.ldam({classCounts: counts}),
    imb.losses.rwwce({costFN: [1, 1, 1], costFP: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}), imb.losses.csl({numClasses: 3}),
  ];
  for (const loss of losses) {
    model.compile({optimizer: 'sgd', loss, metrics: [imb.metrics.gmean(), imb.metrics.ece()]});
    await model.fit(xs, ys, {epochs: 1, verbose: 0, validationData: [xs, ys], callbacks: [new imb.callbacks.ExactMetrics({metrics: [imb.metrics.auroc()]})]});
  }
  const bin = imb.losses.crcen({lambda: 0.7});
  bin(tfc.tensor1d([1, 0]), tfc.tensor2d([[0.3], [0.6]])).dispose();
  const rows = tfd.array([0, 1, 2, 0, 1, 0].map(y => ({xs: [y, 1], ys: y})));
  const batches = await rows.remix({batchSize: 3, numClasses: 3, seed: 1}).toArray();
  const balanced = await rows.balance({batchSize: 3, numClasses: 3, seed: 1}).toArray();
  const sm = imb.data.smote(tfc.tensor2d([[0, 0], [1, 1], [2, 2], [0, 1], [5, 5], [6, 6], [5, 6]]), tfc.tensor1d([0, 0, 0, 0, 1, 1, 1], 'int32'), {k: 2, seed: 1});
  let saved: tfc.io.ModelArtifacts | null = null;
  await imb.io.save(model, tfc.io.withSaveHandler(async a => {
    saved = a;
    return {modelArtifactsInfo: tfc.io.getModelArtifactsInfoForJSON(a)};
  }), {includeOptimizer: true});
  const loaded = await imb.io.load(tfc.io.fromMemory(saved as unknown as tfc.io.ModelArtifacts));
  await loaded.fit(xs, ys, {epochs: 1, verbose: 0});
  const ioLoss = (loaded.loss as imb.losses.LossFunction).config.name;
  console.log(JSON.stringify({ok: true, remix: batches.length, balanced: balanced.length, smoteRows: (sm.xs as tfc.Tensor).shape[0], ioLoss}));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
