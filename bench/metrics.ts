/**
 * Metrics benchmark.
 * (a) `fit` with callbacks.ExactMetrics(ece, auroc, gmean, balancedBrier) divided by
 *     the same `fit` without it (same model, data, batches; training + validation
 *     every epoch), cpu and wasm backends. Target: ≤ 1.10. Also shown: ExactMetrics
 *     computing val_ values by predicting on `validationData` at epoch end.
 * (b) AUROC (one-vs-rest macro, exact and with 4096 bins) + top-label ECE over 1M
 *     predictions x 10 classes: our `update` + `result` time next to scikit-learn's
 *     `roc_auc_score` (and a vectorised numpy ECE) on the same data, read from a
 *     temporary binary file by bench/peers/metrics_sklearn.py; rounds alternate
 *     ours and the peer, and every round's ratio is printed.
 *   npx tsx bench/metrics.ts [--quick] [--parts a,b]
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import * as imb from '../src';
import {ExactMetrics} from '../src/callbacks/exactMetrics';
import {Random} from '../src/core/random';
import {median, medianMs, printTable, runPython, tempFile, useBackend, referenceMlp, exitOnError, longTailPredictions} from './lib';

// (a) fit overhead.
const N = 8192;
const N_VAL = 2048;
const D = 32;
const C = 5;
const BATCH = 64;
const SHARES = [0.55, 0.2, 0.12, 0.08, 0.05];

function makeFitData(n: number, seed: number): {xs: tf.Tensor2D; ys: tf.Tensor2D} {
  const rng = new Random(seed);
  const cum = SHARES.map((_, k) => SHARES.slice(0, k + 1).reduce((a, b) => a + b, 0));
  const labels = new Int32Array(n);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const c = cum.findIndex(v => u < v);
    labels[i] = c < 0 ? C - 1 : c;
    for (let j = 0; j < D; j++) x[i * D + j] = rng.normal() + (j % C === labels[i] ? 0.8 : 0);
  }
  return {xs: tf.tensor2d(x, [n, D]), ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat() as tf.Tensor2D)};
}

function buildModel(): tf.Sequential {
  const model = referenceMlp(D, C);
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  return model;
}

/** Adds the wall time spent inside the callback's hooks (harvest, metric updates, epoch-end results) to `sink`, per fit. */
function timed(cb: ExactMetrics, sink: number[]): ExactMetrics {
  let total = 0;
  const hooks = ['onTrainBegin', 'onEpochBegin', 'onBatchBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
  for (const hook of hooks) {
    const original = (cb[hook] as (...a: unknown[]) => Promise<void>).bind(cb);
    (cb as unknown as Record<string, unknown>)[hook] = async (...a: unknown[]) => {
      const t0 = process.hrtime.bigint();
      await original(...a);
      total += Number(process.hrtime.bigint() - t0) / 1e6;
      if (hook === 'onTrainEnd') sink.push(total);
    };
  }
  return cb;
}

const exactSuite = () => [imb.metrics.ece(), imb.metrics.auroc(), imb.metrics.gmean(), imb.metrics.balancedBrier()];

async function fitOverhead(repeats: number): Promise<void> {
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const train = makeFitData(N, 1);
    const val = makeFitData(N_VAL, 2);
    const model = buildModel();
    const fit = (callbacks: tf.Callback[]) => model.fit(train.xs, train.ys, {
      epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, validationData: [val.xs, val.ys], callbacks,
    });
    const inside: number[][] = [[], [], []];
    const variants: [string, () => tf.Callback[]][] = [
      ['without', () => []],
      ['ExactMetrics (taps training + validation)', () => [timed(new ExactMetrics({metrics: exactSuite()}), inside[1])]],
      ['ExactMetrics (val_ by predicting validationData)', () => [timed(new ExactMetrics({metrics: exactSuite(), validationData: [val.xs, val.ys]}), inside[2])]],
    ];
    // Interleaved runs (variants alternate, so slow drift of a shared machine hits all alike); medians.
    const times: number[][] = variants.map(() => []);
    await fit([]); // warm-up
    await fit(variants[1][1]());
    inside[1].length = 0;
    for (let r = 0; r < repeats; r++) {
      for (let v = 0; v < variants.length; v++) times[v].push(await medianMs(() => fit(variants[v][1]()), 1, 0));
    }
    const med = times.map(median);
    const rows = variants.map(([name], v) => [
      name, med[v], v === 0 ? '-' : (med[v] / med[0]).toFixed(3),
      v === 0 ? '-' : median(inside[v]), v === 0 ? '-' : ((med[0] + median(inside[v])) / med[0]).toFixed(3),
    ]);
    printTable(
      `(a) fit epoch with ExactMetrics(ece, auroc, gmean, balancedBrier) / without, ${backend} backend ` +
        `(MLP ${D}-128-64-${C}, ${N} rows, batch ${BATCH}, validation ${N_VAL} rows; target <= 1.10)`,
      ['variant', 'ms / epoch', 'ratio vs without', 'ms inside ExactMetrics hooks', '(without + inside) / without'],
      rows,
    );
    model.dispose();
    tf.dispose([train.xs, train.ys, val.xs, val.ys]);
  }
}

// (b) 1M x 10 AUROC + ECE against scikit-learn.
const BIG_N = 1_000_000;
const BIG_C = 10;

function makeBigData(n: number): {probs: Float32Array; labels: Int32Array} {
  const probs = new Float32Array(n * BIG_C);
  const labels = new Int32Array(n);
  longTailPredictions(new Random(7), n, BIG_C, probs, labels);
  return {probs, labels};
}

type PeerTimes = {sklearn: string; aurocSeconds: number; auroc: number; eceSeconds: number; ece: number};

async function bigRanking(repeats: number, rounds: number): Promise<void> {
  await useBackend('cpu');
  const {probs, labels} = makeBigData(BIG_N);
  const yPred = tf.tensor2d(probs, [BIG_N, BIG_C]);
  const yTrue = tf.tensor1d(labels, 'int32');
  const probsPath = tempFile('probs.f32', Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength));
  const labelsPath = path.join(path.dirname(probsPath), 'labels.i32');
  fs.writeFileSync(labelsPath, Buffer.from(labels.buffer, labels.byteOffset, labels.byteLength));
  const values: Record<string, number> = {};
  const timeOne = (key: string, make: () => imb.metrics.Metric<number>) =>
    medianMs(() => {
      const m = make();
      m.update(yTrue, yPred);
      values[key] = m.result();
    }, repeats, 1);
  // Rounds alternate our timings and the peer's (a fresh Python process), so that drift on a
  // shared machine shows up as ratios that disagree between rounds instead of one skewed ratio.
  const ours: {auroc: number; binned: number; ece: number}[] = [];
  const peers: (PeerTimes | null)[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push({
      auroc: await timeOne('auroc', () => imb.metrics.auroc()),
      binned: await timeOne('binned', () => imb.metrics.auroc({bins: 4096})),
      ece: await timeOne('ece', () => imb.metrics.ece()),
    });
    peers.push(runPython<PeerTimes>(path.join(__dirname, 'peers', 'metrics_sklearn.py'), {probs: probsPath, labels: labelsPath, n: BIG_N, c: BIG_C, bins: 15, repeats}));
  }
  // Streaming in 1000 chunks of 1000 rows (as ExactMetrics does batch by batch).
  const chunkedMs = await medianMs(() => {
    const a = imb.metrics.auroc();
    const e = imb.metrics.ece();
    const rows = 1000;
    for (let s = 0; s < BIG_N; s += rows) {
      const y = {values: labels.subarray(s, s + rows), shape: [rows]};
      const p = {values: probs.subarray(s * BIG_C, (s + rows) * BIG_C), shape: [rows, BIG_C]};
      a.update(y, p);
      e.update(y, p);
    }
    a.result();
    e.result();
  }, Math.max(1, repeats - 2), 0);
  tf.dispose([yPred, yTrue]);
  fs.rmSync(path.dirname(probsPath), {recursive: true, force: true});

  const peer = peers.every(p => p !== null) ? (peers as PeerTimes[]) : null;
  const row = (label: string, ourMs: number[], peerMs: number[] | null, diff: string): (string | number)[] => [
    label, median(ourMs), peerMs ? median(peerMs) : 'n/a', peerMs ? ourMs.map((t, r) => (t / peerMs[r]).toFixed(2)).join(' / ') : 'n/a', diff,
  ];
  const aurocPeer = peer ? peer.map(p => p.aurocSeconds * 1000) : null;
  const ecePeer = peer ? peer.map(p => p.eceSeconds * 1000) : null;
  const last = peer ? peer[peer.length - 1] : null;
  const rows = [
    row('AUROC (OvR macro)', ours.map(o => o.auroc), aurocPeer, last ? Math.abs(values.auroc - last.auroc).toExponential(1) : 'n/a'),
    row('AUROC, bins: 4096 (vs the exact peer)', ours.map(o => o.binned), aurocPeer, last ? Math.abs(values.binned - last.auroc).toExponential(1) : 'n/a'),
    row('ECE (15 uniform bins, top-label)', ours.map(o => o.ece), ecePeer, last ? Math.abs(values.ece - last.ece).toExponential(1) : 'n/a'),
    row('AUROC + ECE', ours.map(o => o.auroc + o.ece), peer ? peer.map(p => (p.aurocSeconds + p.eceSeconds) * 1000) : null, ''),
    ['AUROC + ECE streamed in 1000-row chunks', chunkedMs, '', '', ''],
  ];
  printTable(
    `(b) ${BIG_N} predictions x ${BIG_C} classes: update + result (cpu backend) vs ` +
      (peer ? `scikit-learn ${peer[0].sklearn} roc_auc_score(multi_class='ovr') / numpy ECE` : 'Python peer skipped (no python3 with sklearn)') +
      `; medians of ${repeats} runs, ${rounds} alternating rounds`,
    ['metric', 'ours ms', 'peer ms', 'ratio ours / peer (per round)', '|value difference|'],
    rows,
  );
}

export async function run(opts: {quick?: boolean; parts?: string[]} = {}): Promise<void> {
  const parts = opts.parts ?? ['a', 'b'];
  if (parts.includes('a')) await fitOverhead(opts.quick ? 3 : 7);
  if (parts.includes('b')) await bigRanking(opts.quick ? 3 : 5, opts.quick ? 2 : 3);
}

if (require.main === module) {
  const i = process.argv.indexOf('--parts');
  exitOnError(run({quick: process.argv.includes('--quick'), parts: i >= 0 ? process.argv[i + 1].split(',') : undefined}));
}
