/**
 * Evaluating one prediction set in 4 worker threads: each worker updates the
 * metrics with its quarter of the rows and posts `metric.getState()` (plain
 * JSON) back; the main thread rebuilds the metrics with `metrics.fromState`,
 * merges the other states and prints the result next to one call over all
 * rows. The values are equal to the last bit. The same works across processes
 * or browsers: send `JSON.stringify(metric.getState())`.
 *
 * The predictions are seeded random softmax rows standing in for the output
 * of `model.predict` on each worker's shard of the data.
 *
 *   npx tsx examples/metrics-shards.ts [--rows 400000] [--workers 4]
 */
import {Worker, isMainThread, parentPort, workerData} from 'worker_threads';
import * as imb from '../src';
import {Random} from '../src/core/random';

type AnyMetric = imb.metrics.Metric<unknown>;

/** The metrics every shard evaluates; merging requires the same configs everywhere. */
export function makeMetrics(): AnyMetric[] {
  return [
    imb.metrics.ece(), imb.metrics.ece({binning: 'quantile', name: 'eceQuantile'}), imb.metrics.brier(), imb.metrics.balancedBrier(),
    imb.metrics.gmean(), imb.metrics.f1(), imb.metrics.mcc(), imb.metrics.auroc(), imb.metrics.auroc({bins: 4096, name: 'auroc4096'}),
    imb.metrics.auprc({average: 'none'}), imb.metrics.confusionMatrix(),
  ] as AnyMetric[];
}

/** Long-tailed labels and noisy softmax rows (float32, as a tensor's data), seeded. */
export function makePredictions(rows: number, numClasses: number, seed = 3): {labels: Int32Array; probs: Float32Array} {
  const rng = new Random(seed);
  const labels = new Int32Array(rows);
  const probs = new Float32Array(rows * numClasses);
  const z = new Float64Array(numClasses);
  for (let i = 0; i < rows; i++) {
    const y = Math.min(numClasses - 1, Math.floor(-Math.log(1 - rng.uniform()) * 1.2));
    labels[i] = y;
    let sum = 0;
    for (let k = 0; k < numClasses; k++) {
      z[k] = Math.exp(rng.normal() + (k === y ? 1.5 : 0));
      sum += z[k];
    }
    for (let k = 0; k < numClasses; k++) probs[i * numClasses + k] = z[k] / sum;
  }
  return {labels, probs};
}

/** Updates fresh metrics with the rows in chunks (as batches of predictions arrive) and returns their states. */
export function evaluateShard(labels: Int32Array, probs: Float32Array, numClasses: number, chunk = 8192): imb.metrics.MetricState[] {
  const metrics = makeMetrics();
  for (let start = 0; start < labels.length; start += chunk) {
    const end = Math.min(labels.length, start + chunk);
    const yTrue = {values: labels.subarray(start, end), shape: [end - start]};
    const yPred = {values: probs.subarray(start * numClasses, end * numClasses), shape: [end - start, numClasses]};
    for (const m of metrics) m.update(yTrue, yPred);
  }
  return metrics.map(m => m.getState());
}

/** Rebuilds each metric from the first shard's state and merges the others into it. */
export function mergeStates(perShard: imb.metrics.MetricState[][]): AnyMetric[] {
  return perShard[0].map((state, j) => {
    const metric = imb.metrics.fromState(state);
    for (const other of perShard.slice(1)) metric.merge(other[j]);
    return metric;
  });
}

/** Runs `evaluateShard` on `workers` equal contiguous shards, one worker thread each. */
export function evaluateInWorkers(labels: Int32Array, probs: Float32Array, numClasses: number, workers: number): Promise<imb.metrics.MetricState[][]> {
  const per = Math.ceil(labels.length / workers);
  return Promise.all(
    Array.from({length: workers}, (_, w) => {
      const start = Math.min(labels.length, w * per);
      const end = Math.min(labels.length, start + per);
      // workerData is copied (structured clone). The worker runs this same file; run from TypeScript
      // source (npx tsx), it first registers tsx's require hook, which worker threads do not inherit.
      const data = {labels: labels.slice(start, end), probs: probs.slice(start * numClasses, end * numClasses), numClasses};
      const worker = __filename.endsWith('.ts')
        ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(__filename)});`, {eval: true, workerData: data})
        : new Worker(__filename, {workerData: data});
      return new Promise<imb.metrics.MetricState[]>((resolve, reject) => {
        worker.once('message', states => {
          resolve(states as imb.metrics.MetricState[]);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const rows = arg('--rows', 400_000);
  const workers = arg('--workers', 4);
  const numClasses = 5;
  const {labels, probs} = makePredictions(rows, numClasses);

  const t0 = performance.now();
  const states = await evaluateInWorkers(labels, probs, numClasses, workers);
  const merged = mergeStates(states);
  const tWorkers = performance.now() - t0;

  const t1 = performance.now();
  const oneCall = makeMetrics();
  for (const m of oneCall) m.update({values: labels, shape: [rows]}, {values: probs, shape: [rows, numClasses]});
  const tOne = performance.now() - t1;

  const show = (v: unknown) => (typeof v === 'number' ? v.toPrecision(12) : JSON.stringify(v).slice(0, 60));
  console.log(`\n${rows} predictions x ${numClasses} classes: ${workers} worker threads, states merged, vs one call in the main thread\n`);
  console.log('| metric | one call | merged from workers | equal |');
  console.log('|---|---|---|---|');
  let allEqual = true;
  merged.forEach((m, j) => {
    const a = oneCall[j].result();
    const b = m.result();
    const equal = JSON.stringify(a) === JSON.stringify(b);
    allEqual &&= equal;
    console.log(`| ${m.name} | ${show(a)} | ${show(b)} | ${equal ? 'yes' : 'NO'} |`);
  });
  const bytes = states.flat().reduce((a, s) => a + JSON.stringify(s).length, 0);
  console.log(`\nstate sent by the workers: ${(bytes / 1e6).toFixed(2)} MB of JSON in total (exact AUROC / AUPRC and quantile ECE keep every score)`);
  console.log(`time: workers + merge ${tWorkers.toFixed(0)} ms (including worker start-up), one call ${tOne.toFixed(0)} ms`);
  console.log(`all equal: ${allEqual}`);
  if (!allEqual) process.exitCode = 1;
}

if (!isMainThread && workerData && parentPort) {
  const {labels, probs, numClasses} = workerData as {labels: Int32Array; probs: Float32Array; numClasses: number};
  parentPort.postMessage(evaluateShard(labels, probs, numClasses));
} else if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
