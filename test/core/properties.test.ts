/**
 * Property-based tests (fast-check, seeded, bounded runs) of the invariants the
 * shared input reader promises, over random class counts (a class may have a
 * single row), label formats, chunkings and batch sizes:
 *  1. every label format gives the same labels, counts and metric values;
 *  2. streaming in any chunks equals one call (metrics, classCounts over datasets);
 *  3. a loss's per-sample values times classWeight equal tfjs' weighting in fit;
 *  4. transforms keep every row's label consistent with its features;
 *  5. no input yields a value (NaN or not) where an error was due.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as imb from '../../src';
import {Random} from '../../src/core/random';
import {ImbalancedInputError} from '../../src/errors';

const SEED = 20240909;
const runs = (numRuns: number) => ({seed: SEED, numRuns});

// ------------------------------------------------------------------ data

/** Class counts for 2-5 classes, 1-10 rows each. */
const countsArb = fc.array(fc.integer({min: 1, max: 10}), {minLength: 2, maxLength: 5});

/** Labels with those counts in a seeded random order. */
function labelsFor(counts: number[], seed: number): number[] {
  const labels = counts.flatMap((n, c) => new Array<number>(n).fill(c));
  const perm = new Random(seed).permutation(labels.length);
  return Array.from(perm, i => labels[i]);
}

/** Probability rows (float64, each summing to 1) for n rows of C classes. */
function probsFor(n: number, C: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({length: n}, () => {
    const w = Array.from({length: C}, () => rng.uniform() + 1e-3);
    const s = w.reduce((a, b) => a + b, 0);
    return w.map(v => v / s);
  });
}

const oneHot = (labels: number[], C: number) => labels.map(y => Array.from({length: C}, (_, k) => (k === y ? 1 : 0)));

/** Every container and layout labels of a batch may come in. */
const LABEL_FORMATS = ['array', 'int32', 'column', 'onehot', 'tensor', 'tensorColumn', 'tensorOneHot', 'tensorData'] as const;
type LabelFormat = (typeof LABEL_FORMATS)[number];
/** The samplers give back what they were given: tensors or arrays ({values, shape} is for metrics only). */
const SAMPLER_FORMATS = LABEL_FORMATS.filter(f => f !== 'tensorData');

function encode(labels: number[], C: number, format: LabelFormat): unknown {
  switch (format) {
    case 'array': return labels.slice();
    case 'int32': return Int32Array.from(labels);
    case 'column': return labels.map(y => [y]);
    case 'onehot': return oneHot(labels, C);
    case 'tensor': return tf.tensor1d(labels, 'int32');
    case 'tensorColumn': return tf.tensor2d(labels, [labels.length, 1]);
    case 'tensorOneHot': return tf.tensor2d(oneHot(labels, C), [labels.length, C]);
    case 'tensorData': return {values: Float64Array.from(labels), shape: [labels.length]};
  }
}

/** Sorted cut points splitting n rows into chunks. */
function chunksOf<T>(rows: T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map(c => c % rows.length))].filter(c => c > 0).sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const p of [...points, rows.length]) {
    out.push(rows.slice(start, p));
    start = p;
  }
  return out;
}

const expectClose = (a: number, b: number) => {
  if (Number.isNaN(b)) expect(a).toBeNaN();
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
};

/** Metrics whose streaming result must equal one call. */
const METRICS = () => [
  imb.metrics.ece(), imb.metrics.ece({binning: 'quantile', bins: 5}), imb.metrics.mce(), imb.metrics.brier(), imb.metrics.balancedBrier(),
  imb.metrics.gmean(), imb.metrics.balancedAccuracy(), imb.metrics.f1(), imb.metrics.mcc(), imb.metrics.auroc(), imb.metrics.auprc(),
];

afterEach(() => {
  // Tensors made by `encode` inside properties are freed here, not leaked into other tests.
  tf.disposeVariables();
});

describe('properties of the input contract', () => {
  it('1. every label format gives the same counts and the same metric values', () => {
    fc.assert(
      fc.property(countsArb, fc.nat(), fc.constantFrom(...LABEL_FORMATS), (counts, seed, format) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        const probs = probsFor(labels.length, C, seed + 1);
        tf.tidy(() => {
          expect(imb.data.classCounts(encode(labels, C, format) as number[])).toEqual(counts);
          for (const [a, b] of [[imb.metrics.ece(), imb.metrics.ece()], [imb.metrics.f1(), imb.metrics.f1()], [imb.metrics.auroc(), imb.metrics.auroc()]]) {
            a.update(labels, probs);
            b.update(encode(labels, C, format) as number[], probs);
            expectClose(b.result(), a.result());
          }
        });
      }),
      runs(100),
    );
  });

  it('2a. metrics: updates in any chunks (any format per chunk) equal one update', () => {
    fc.assert(
      fc.property(countsArb, fc.nat(), fc.array(fc.nat(), {maxLength: 6}), fc.array(fc.constantFrom(...LABEL_FORMATS), {minLength: 7, maxLength: 7}), (counts, seed, cuts, formats) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        const probs = probsFor(labels.length, C, seed + 1);
        const whole = METRICS();
        const streamed = METRICS();
        whole.forEach(m => m.update(labels, probs));
        const rows = labels.map((y, i) => ({y, p: probs[i]}));
        tf.tidy(() => {
          chunksOf(rows, cuts).forEach((chunk, k) => {
            const y = encode(chunk.map(r => r.y), C, formats[k % formats.length]) as number[];
            // Nested rows or {values, shape}: the same float64 values as the whole update.
            const p = k % 2 === 0 ? chunk.map(r => r.p) : {values: Float64Array.from(chunk.flatMap(r => r.p)), shape: [chunk.length, C]};
            streamed.forEach(m => m.update(y, p as number[][]));
          });
        });
        whole.forEach((m, i) => expectClose(streamed[i].result() as number, m.result() as number));
      }),
      runs(60),
    );
  });

  it('2b. classCounts over a dataset equals classCounts of the array, for any layout, batch size and element type', async () => {
    const layouts = ['rows', 'rowsOneHot', 'rowsColumn', 'batches', 'batchesColumn', 'batchesOneHot', 'chunks'] as const;
    await fc.assert(
      fc.asyncProperty(countsArb, fc.nat(), fc.constantFrom(...layouts), fc.integer({min: 1, max: 9}), fc.boolean(), fc.boolean(), async (counts, seed, layout, batchSize, tensors, sayBatched) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        const d = C + 1; // features wider than the label rows: unbatched one-hot rows are unambiguous
        const xs = labels.map((y, i) => Array.from({length: d}, (_, t) => y + i * 0.001 + t));
        let ds: tf.data.Dataset<tf.TensorContainer>;
        let batched: boolean | undefined;
        if (layout.startsWith('rows')) {
          const yOf = (y: number) => (layout === 'rows' ? y : layout === 'rowsColumn' ? [y] : oneHot([y], C)[0]);
          ds = tf.data.array(labels.map((y, i) => (tensors ? {xs: tf.tensor1d(xs[i]), ys: tf.tensor(yOf(y))} : {xs: xs[i], ys: yOf(y)})));
          batched = sayBatched ? false : undefined;
        } else if (layout === 'chunks') {
          ds = imb.data.fromTensors(tf.tensor2d(xs), tf.tensor1d(labels, 'int32'), {chunkSize: batchSize, seed});
        } else {
          const yOf = (y: number) => (layout === 'batches' ? y : layout === 'batchesColumn' ? [y] : oneHot([y], C)[0]);
          ds = tf.data.array(labels.map((y, i) => ({xs: xs[i], ys: yOf(y)}))).batch(batchSize);
          // Inferred, batches of 0/1 labels that each hold a single 1 also read as one-hot rows: the documented fallback is rows.
          const ambiguous = layout === 'batches' && chunksOf(labels, Array.from({length: labels.length}, (_, k) => k * batchSize))
            .every(b => b.length > 1 && b.every(v => v <= 1) && b.filter(v => v === 1).length === 1);
          batched = sayBatched || ambiguous ? true : undefined;
        }
        const before = tf.memory().numTensors;
        expect(await imb.data.classCounts(ds, {batched})).toEqual(counts);
        expect(tf.memory().numTensors).toBe(before);
      }),
      runs(80),
    );
  });

  it('3. a loss\'s per-sample values times classWeight equal the loss tfjs reports when fitting with classWeight', async () => {
    const losses = [
      (counts: number[]) => imb.losses.weightedCrossEntropy({classWeights: imb.losses.inverseFrequencyWeights(counts)}),
      (counts: number[]) => imb.losses.dwb({classCounts: counts}),
      (counts: number[]) => imb.losses.focal({gamma: 1.5}),
      (counts: number[]) => imb.losses.classBalanced({classCounts: counts, beta: 0.99}),
      (counts: number[]) => imb.losses.ldam({classCounts: counts, scale: 5}),
      (counts: number[]) => imb.losses.crcen({classCounts: counts}),
    ];
    await fc.assert(
      fc.asyncProperty(countsArb, fc.nat(), fc.integer({min: 0, max: losses.length - 1}), fc.array(fc.double({min: 0.1, max: 5, noNaN: true}), {minLength: 5, maxLength: 5}), async (counts, seed, which, weights) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        const n = labels.length;
        const loss = losses[which](counts);
        const model = tf.sequential({layers: [tf.layers.dense({units: C, inputShape: [3], activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed})})]});
        model.compile({optimizer: tf.train.sgd(0), loss});
        const xs = tf.randomNormal([n, 3], 0, 1, 'float32', seed);
        const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), C);
        const classWeight = Object.fromEntries(counts.map((_, c) => [c, weights[c]]));
        const history = await model.fit(xs, ys, {epochs: 1, batchSize: n, classWeight, verbose: 0});
        const perSample = tf.tidy(() => loss(ys, model.predict(xs) as tf.Tensor).arraySync() as number[]);
        expect(perSample).toHaveLength(n);
        const expected = perSample.reduce((s, v, i) => s + v * weights[labels[i]], 0) / n;
        const got = history.history.loss[0] as number;
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected)));
        tf.dispose([xs, ys]);
        model.dispose();
        loss.dispose();
      }),
      runs(15),
    );
  });

  it('4a. balance and remix keep every output row\'s label consistent with its features', async () => {
    await fc.assert(
      fc.asyncProperty(countsArb, fc.nat(), fc.integer({min: 1, max: 7}), fc.boolean(), fc.constantFrom('balance', 'remix', 'remixDataset'), async (counts, seed, chunkSize, chunked, transform) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        // Feature 0 is the class itself, so a row's label is known from its features (and mixes like them).
        const xs = labels.map((y, i) => [y, i % 3]);
        const source = chunked
          ? imb.data.fromTensors(tf.tensor2d(xs), tf.tensor1d(labels, 'int32'), {chunkSize, seed})
          : tf.data.array(labels.map((y, i) => ({xs: xs[i], ys: oneHot([y], C)[0]})));
        const batchSize = C + chunkSize;
        const out = transform === 'balance'
          ? source.balance({batchSize, numClasses: C, seed})
          : source.remix({batchSize, numClasses: C, seed, source: transform === 'remix' ? 'batch' : 'dataset'});
        let rows = 0;
        await out.forEachAsync(b => {
          const x = b.xs.arraySync() as number[][];
          const y = b.ys.arraySync() as number[][];
          x.forEach((row, i) => {
            const expectedClass = y[i].reduce((s, v, k) => s + k * v, 0);
            expect(Math.abs(row[0] - expectedClass)).toBeLessThan(1e-4);
            expect(Math.abs(y[i].reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-5);
          });
          rows += x.length;
          tf.dispose(b);
        });
        expect(rows).toBeGreaterThan(0);
      }),
      runs(30),
    );
  });

  it('4b. the samplers keep every row\'s label consistent with its features, or refuse a class too small for k', () => {
    fc.assert(
      fc.property(countsArb, fc.nat(), fc.constantFrom(...SAMPLER_FORMATS), fc.integer({min: 1, max: 3}), fc.constantFrom('smote', 'borderline', 'adasyn', 'over', 'under'), (counts, seed, format, k, sampler) => {
        const C = counts.length;
        const labels = labelsFor(counts, seed);
        const rng = new Random(seed);
        // Feature 0 in [c, c + 0.5): interpolation inside a class stays there.
        const xs = labels.map(y => [y + 0.5 * rng.uniform(), rng.normal()]);
        tf.tidy(() => {
          const y = encode(labels, C, format) as number[];
          const run = () => {
            if (sampler === 'smote') return imb.data.smote(xs, y, {k, seed});
            if (sampler === 'borderline') return imb.data.borderlineSmote(xs, y, {k, m: 3, seed});
            if (sampler === 'adasyn') return imb.data.adasyn(xs, y, {k, seed});
            if (sampler === 'over') return imb.data.randomOverSample(xs, y, {seed});
            return imb.data.randomUnderSample(xs, y, {seed});
          };
          let out: {xs: number[][]; ys: unknown};
          try {
            out = run() as typeof out;
          } catch (e) {
            // The documented refusals of valid data: a class to grow with no more than k rows (m for
            // Borderline-SMOTE's danger test), or for ADASYN a class with no other class among its neighbours.
            expect(e).toBeInstanceOf(ImbalancedInputError);
            const parameter = (e as ImbalancedInputError).parameter;
            if (parameter === 'k') expect(counts.filter(n => n < Math.max(...counts)).some(n => n <= k)).toBe(true);
            else expect([sampler, parameter]).toEqual(sampler === 'borderline' ? ['borderline', 'm'] : ['adasyn', 'ys']);
            return;
          }
          const outLabels = labelsOf(out.ys, C);
          expect(outLabels).toHaveLength(out.xs.length);
          out.xs.forEach((row, i) => expect(Math.floor(row[0])).toBe(outLabels[i]));
        });
      }),
      runs(100),
    );
  });

  it('5. corrupted labels or predictions give an ImbalancedInputError, never a value', () => {
    const corruptions = ['nan', 'tooBig', 'negative', 'fraction', 'rowSum', 'wideRow', 'predNaN', 'predSum', 'predRange'] as const;
    fc.assert(
      fc.property(countsArb, fc.nat(), fc.constantFrom(...corruptions), fc.nat(), fc.boolean(), (counts, seed, corruption, at, asTensor) => {
        const C = counts.length;
        const labels: number[] = labelsFor(counts, seed);
        const n = labels.length;
        const i = at % n;
        const probs = probsFor(n, C, seed + 1);
        let y: number[] | number[][] = labels.slice();
        if (corruption === 'nan') (y as number[])[i] = NaN;
        if (corruption === 'tooBig') (y as number[])[i] = C + (at % 3);
        if (corruption === 'negative') (y as number[])[i] = -1;
        if (corruption === 'fraction') (y as number[])[i] += 0.5;
        if (corruption === 'rowSum') { y = oneHot(labels, C); y[i][(labels[i] + 1) % C] = 0.8; }
        if (corruption === 'wideRow') y = labels.map(v => Array.from({length: C + 1}, (_, k) => (k === v ? 1 : 0)));
        if (corruption === 'predNaN') probs[i][0] = NaN;
        if (corruption === 'predSum') probs[i] = probs[i].map(v => v * 1.8);
        if (corruption === 'predRange') probs[i][at % C] = 1.5;
        const targetsBad = !corruption.startsWith('pred');
        tf.tidy(() => {
          const yIn = asTensor ? tf.tensor(y as number[]) : y;
          const pIn = asTensor ? tf.tensor2d(probs) : probs;
          // Metrics read both; every corruption is an error.
          for (const m of [imb.metrics.ece(), imb.metrics.gmean(), imb.metrics.auroc(), imb.metrics.brier()]) {
            expect(() => m.update(yIn as number[], pIn)).toThrow(ImbalancedInputError);
          }
          if (targetsBad) {
            expect(() => imb.data.classCounts(yIn as number[], {numClasses: C})).toThrow(ImbalancedInputError);
            // Losses read the labels (predictions are the model's output): a direct call throws.
            const yT = tf.tensor(y as number[]);
            for (const loss of [imb.losses.focal(), imb.losses.dwb({classCounts: counts}), imb.losses.crcen({classCounts: counts})]) {
              expect(() => loss(yT, tf.tensor2d(probsFor(n, C, seed)))).toThrow(ImbalancedInputError);
              loss.dispose();
            }
          }
        });
      }),
      runs(100),
    );
  });
});

/** Class indices of labels in any sampler output format. */
function labelsOf(ys: unknown, C: number): number[] {
  if (ys instanceof tf.Tensor) return labelsOf(ys.arraySync(), C);
  if (ArrayBuffer.isView(ys)) return Array.from(ys as Int32Array);
  return (ys as Array<number | number[]>).map(v => (typeof v === 'number' ? v : v.length === 1 ? v[0] : v.indexOf(Math.max(...v))));
}
