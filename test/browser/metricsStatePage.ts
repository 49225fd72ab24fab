// Bundled by test/browser/metricsState.test.ts with esbuild and run in Chromium:
// metrics updated in the page (float32 tensors on the page's tfjs) hand back getState().
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src'; // the browser-safe main entry

/** Updates every metric with the rows [start, end) in 100-row tensor chunks; returns the states (plain JSON). */
async function shardStates(labels: number[], probs: number[], numClasses: number, start: number, end: number): Promise<imb.metrics.MetricState[]> {
  await tf.setBackend('cpu');
  const metrics = [
    imb.metrics.ece(), imb.metrics.ece({binning: 'quantile', mode: 'classwise'}), imb.metrics.brier(), imb.metrics.balancedBrier(),
    imb.metrics.gmean(), imb.metrics.f1({average: 'none'}), imb.metrics.mcc(), imb.metrics.auroc(), imb.metrics.auroc({bins: 256}),
    imb.metrics.auprc({average: 'weighted'}), imb.metrics.confusionMatrix(),
  ];
  for (let s = start; s < end; s += 100) {
    const e = Math.min(end, s + 100);
    const yTrue = tf.tensor1d(labels.slice(s, e), 'int32');
    const yPred = tf.tensor2d(probs.slice(s * numClasses, e * numClasses), [e - s, numClasses]);
    for (const m of metrics) m.update(yTrue, yPred);
    tf.dispose([yTrue, yPred]);
  }
  return metrics.map(m => m.getState());
}

(window as unknown as {shardStates: typeof shardStates}).shardStates = shardStates;
