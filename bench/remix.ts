/**
 * Data-transform benchmark (b): epoch time of `fitDataset` on `ds.remix()`
 * divided by `fit` on the same tensors (same model, batch size and number of
 * batches), on the cpu and wasm backends. Target: ≤ 1.10.
 *
 * Sources compared (same rows, same labels):
 * - rows:    `tf.data.array` of `{xs: Float32Array, ys: number}` single rows
 * - chunks:  a generator of `{xs: [1024, d], ys: [1024, 1]}` tensors (read as rows)
 * - tensors: `tf.data.array` of per-row `{xs: tensor, ys: tensor}` (tf.data clones each)
 * - fromTensors: `data.fromTensors(xs, ys)`, the library's chunked, reshuffled source (recommended)
 * The profile rows split one epoch into reading + ReMix (iterating `ds.remix()`
 * without training) and training.
 *   npx tsx bench/remix.ts
 */
import * as tf from '@tensorflow/tfjs';
import {median, medianMs, printTable, useBackend, referenceMlp, exitOnError} from './lib';
import {Random} from '../src/core/random';
import '../src/data/datasetMethods';
import {fromTensors} from '../src/data/fromTensors';

const N = 8192;
const D = 64;
const C = 5;
const B = 64;
const CHUNK = 1024;
const SHARES = [0.6, 0.2, 0.1, 0.07, 0.03];

type Element = {xs: tf.Tensor; ys: tf.Tensor};

function makeData(): {x: Float32Array; labels: Int32Array} {
  const rng = new Random(1);
  const x = new Float32Array(N * D);
  const labels = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let u = rng.uniform();
    let c = 0;
    while (c < C - 1 && u >= SHARES[c]) u -= SHARES[c++];
    labels[i] = c;
    for (let k = 0; k < D; k++) x[i * D + k] = rng.normal() + (k % C === c ? 1 : 0);
  }
  return {x, labels};
}

function makeModel(): tf.Sequential {
  const model = referenceMlp(D, C);
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  return model;
}

function sources(x: Float32Array, labels: Int32Array): Record<string, () => tf.data.Dataset<tf.TensorContainer>> {
  const rows = Array.from({length: N}, (_, i) => ({xs: x.subarray(i * D, (i + 1) * D), ys: labels[i]}));
  return {
    rows: () => tf.data.array(rows),
    chunks: () =>
      tf.data.generator(function* () {
        for (let i = 0; i < N; i += CHUNK) {
          const n = Math.min(CHUNK, N - i);
          yield {xs: tf.tensor2d(x.subarray(i * D, (i + n) * D), [n, D]), ys: tf.tensor2d(labels.subarray(i, i + n), [n, 1], 'int32')};
        }
      }),
  };
}

async function epochOnly(ds: tf.data.Dataset<Element>): Promise<void> {
  const it = await ds.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) tf.dispose([r.value.xs, r.value.ys]);
}

async function timeMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<void> {
  const {x, labels} = makeData();
  const src = sources(x, labels);
  const ratioRows: (string | number)[][] = [];
  const profile: (string | number)[][] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const tensorRows = Array.from({length: N}, (_, i) => ({xs: tf.tensor1d(x.subarray(i * D, (i + 1) * D)), ys: tf.scalar(labels[i], 'int32')}));
    const xs = tf.tensor2d(x, [N, D]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat();
    const model = makeModel();
    const yIdx = tf.tensor1d(labels, 'int32');
    const variants: Record<string, () => tf.data.Dataset<tf.TensorContainer>> = {
      ...src,
      tensors: () => tf.data.array(tensorRows),
      fromTensors: () => fromTensors(xs, yIdx, {chunkSize: CHUNK, seed: 3}),
    };
    const remixed = Object.fromEntries(Object.entries(variants).map(([k, make]) => [k, make().remix({batchSize: B, numClasses: C, seed: 7}) as tf.data.Dataset<Element>]));
    const fit = () => model.fit(xs, ys, {batchSize: B, epochs: 1, shuffle: true, verbose: 0});
    // Warm up, then interleave the runs so that load from other processes hits all of them alike.
    await fit();
    for (const ds of Object.values(remixed)) await model.fitDataset(ds, {epochs: 1, verbose: 0});
    const repeats = backend === 'cpu' ? 5 : 7;
    const fitTimes: number[] = [];
    const fdTimes: Record<string, number[]> = {};
    const ratios: Record<string, number[]> = {};
    for (let r = 0; r < repeats; r++) {
      const tFit = await timeMs(fit);
      fitTimes.push(tFit);
      for (const [name, ds] of Object.entries(remixed)) {
        const t = await timeMs(() => model.fitDataset(ds, {epochs: 1, verbose: 0}));
        (fdTimes[name] ??= []).push(t);
        (ratios[name] ??= []).push(t / tFit);
      }
    }
    for (const name of Object.keys(remixed)) {
      ratioRows.push([backend, name, median(fitTimes), median(fdTimes[name]), median(ratios[name])]);
      const plainMs = await medianMs(async () => {
        const it = await variants[name]().iterator();
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const e = r.value as {xs: unknown; ys: unknown};
          if (e.xs instanceof tf.Tensor) tf.dispose([e.xs, e.ys as tf.Tensor]); // (tf.dispose would walk plain arrays value by value)
        }
      }, 5);
      const remixMs = await medianMs(() => epochOnly(remixed[name]), 5);
      const fd = median(fdTimes[name]);
      profile.push([backend, name, plainMs, remixMs - plainMs, fd - remixMs, remixMs / fd]);
    }
    tf.dispose([xs, ys, yIdx, ...tensorRows.flatMap(r => [r.xs, r.ys])]);
    model.dispose();
  }
  printTable(
    `fitDataset(ds.remix()) vs fit on the same tensors: one epoch, ${N} rows × ${D}, ${C} classes, batch ${B} (${N / B} batches), MLP ${D}-128-64-${C}, Adam; ratio = median of per-run ratios (target ≤ 1.10)`,
    ['backend', 'source', 'fit ms', 'fitDataset(remix) ms', 'ratio'],
    ratioRows,
  );
  printTable(
    'Where a fitDataset(remix) epoch goes (medians, ms): iterating the source alone; ReMix on top of it (reading rows, resampling, mixing, making tensors); training',
    ['backend', 'source', 'source iteration', 'remix', 'training', '(source+remix) / epoch'],
    profile,
  );
}

if (require.main === module) {
  exitOnError(run());
}
