import * as tf from '@tensorflow/tfjs';
import {buildPlan, checkMethod, describeMethod, LOSSES, METHOD_NAMES, methodOptions, parseMethod, SAMPLERS} from '../../src/compare/methods';
import type {MethodContext, TrainingTensors} from '../../src/compare/methods';

const CTX: MethodContext = {classCounts: [30, 10], numClasses: 2, costs: {costFN: 5, costFP: 1}, seed: 3, batchSize: 8, epochs: 2, fromLogits: false};

function training(): TrainingTensors {
  const labels = Array.from({length: 40}, (_, i) => (i % 4 === 0 ? 1 : 0));
  return tf.tidy(() => ({
    xs: tf.tensor2d(labels.map((y, i) => [y + Math.sin(i), Math.cos(i), i / 40])),
    labels: tf.tensor1d(labels, 'int32'),
    oneHot: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 2), 'float32') as tf.Tensor2D,
  }));
}

/** One epoch of the plan's stream: batch shapes and the first batch's values. */
async function epoch(plan: ReturnType<typeof buildPlan>): Promise<{shapes: string[]; first: number[][]}> {
  const it = await plan.dataset.iterator();
  const shapes: string[] = [];
  let first: number[][] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const {xs, ys} = r.value;
    shapes.push(`${xs.shape}|${ys.shape}`);
    if (first.length === 0) first = [Array.from(xs.dataSync()), Array.from(ys.dataSync())];
    tf.dispose([xs, ys]);
  }
  return {shapes, first};
}

describe('method registry', () => {
  it('parses losses, samplers and sampler+loss', () => {
    expect(parseMethod('dwb')).toEqual({name: 'dwb', sampler: null, loss: 'dwb'});
    expect(parseMethod('smote')).toEqual({name: 'smote', sampler: 'smote', loss: 'ce'});
    expect(parseMethod('remix+focal')).toEqual({name: 'remix+focal', sampler: 'remix', loss: 'focal'});
    expect(parseMethod('focal+remix')).toEqual({name: 'focal+remix', sampler: 'remix', loss: 'focal'});
    expect(() => parseMethod('smote+remix')).toThrow(/^method: expected at most one loss and one sampler, got "smote\+remix"/);
    expect(() => parseMethod('xgboost')).toThrow(/^method: expected a method name \(ce, wce, focal/);
    expect(METHOD_NAMES).toEqual([...Object.keys(LOSSES), ...Object.keys(SAMPLERS)]);
    expect(METHOD_NAMES).toEqual(expect.arrayContaining(['ce', 'wce', 'focal', 'cb', 'ldam', 'dwb', 'crcen', 'rwwce', 'csl', 'smote', 'adasyn', 'balance', 'remix', 'mixup']));
  });

  it('merges option overrides with the defaults and rejects unknown names', () => {
    const m = parseMethod('smote+focal');
    expect(methodOptions(m, {focal: {gamma: 1}})).toEqual({smote: {k: 5}, focal: {gamma: 1}});
    expect(describeMethod(m, methodOptions(m, {focal: {gamma: 1}}))).toBe('SMOTE (Chawla et al. 2002), k = 5: minority rows grown to the majority count once per split; focal loss (Lin et al. 2017), γ = 1');
    expect(() => methodOptions(m, {dwb: {}})).toThrow(/^options\.dwb: expected an option of smote\+focal: \(smote\+focal takes smote, focal\)/);
    expect(() => methodOptions(m, {smote: {kk: 1}})).toThrow(/^options\.smote\.kk: expected an option of smote: \(smote takes k\)/);
    expect(() => methodOptions(parseMethod('ce'), {ce: {x: 1}})).toThrow(/^options\.ce\.x: expected no options \(ce takes none\)/);
    expect(() => checkMethod(parseMethod('remix'), methodOptions(parseMethod('remix'), {remix: {alpha: 0}}), CTX)).toThrow(/^alpha: expected a finite number > 0/);
    expect(() => checkMethod(parseMethod('smote'), methodOptions(parseMethod('smote'), {smote: {k: 0}}), CTX)).toThrow(/^k: expected an integer >= 1/);
    expect(() => checkMethod(parseMethod('ldam'), methodOptions(parseMethod('ldam'), {ldam: {drwEpoch: -1}}), CTX)).toThrow(/^ldam\.drwEpoch:/);
  });

  it.each(METHOD_NAMES)('%s: one epoch of batches [B, 3] x [B, 2], seeded, and nothing left after dispose', async name => {
    const train = training();
    const before = tf.memory().numTensors;
    const parsed = parseMethod(name);
    const options = methodOptions(parsed);
    const a = buildPlan(parsed, options, CTX, train);
    const first = await epoch(a);
    const second = await epoch(a);
    a.dispose();
    const b = buildPlan(parsed, options, CTX, train);
    const again = await epoch(b);
    b.dispose();
    expect(tf.memory().numTensors - before).toBe(0);
    tf.dispose(train as unknown as tf.Tensor[]);
    for (const s of first.shapes) expect(s).toMatch(/^\d+,3\|\d+,2$/);
    const rows = first.shapes.reduce((n, s) => n + Number(s.split(',')[0]), 0);
    // SMOTE and ADASYN grow the minority class to the majority's 30 rows; the others keep 40 rows per epoch.
    expect(rows).toBe(name === 'smote' || name === 'adasyn' ? 60 : 40);
    expect(again).toEqual(first); // same seed, same batches
    expect(second.first).not.toEqual(first.first); // reshuffled every epoch
    expect(typeof a.loss === 'string' || typeof a.loss === 'function').toBe(true);
    expect(a.callbacks.length).toBe(name === 'csl' ? 1 : 0);
  });

  it.each(Object.keys(LOSSES))('%s with fromLogits: a library loss reading logits, equal to its probability form on softmax(logits)', name => {
    const parsed = parseMethod(name);
    const options = methodOptions(parsed);
    const train = training();
    const onProbs = buildPlan(parsed, options, CTX, train);
    const onLogits = buildPlan(parsed, options, {...CTX, fromLogits: true}, train);
    try {
      expect(typeof onLogits.loss).toBe('function');
      const fn = onLogits.loss as Exclude<typeof onLogits.loss, string>;
      expect(fn.config.options.fromLogits).toBe(true);
      if (name === 'csl') return; // CSL's statistics read the outputs as given: logits and probabilities differ by design
      const [fromLogits, fromProbs] = tf.tidy(() => {
        const z = tf.tensor2d([[2, -1], [0.5, 0.3], [-3, 4], [1, 1]]);
        const y = tf.tensor2d([[1, 0], [0, 1], [0, 1], [1, 0]]);
        const p = tf.softmax(z);
        const viaProbs = typeof onProbs.loss === 'string' ? tf.metrics.categoricalCrossentropy(y, p) : onProbs.loss(y, p);
        return [Array.from(fn(y, z).dataSync()), Array.from(viaProbs.dataSync())];
      });
      fromLogits.forEach((v, i) => expect(v).toBeCloseTo(fromProbs[i], 5));
    } finally {
      onProbs.dispose();
      onLogits.dispose();
      tf.dispose(train as unknown as tf.Tensor[]);
    }
  });
});
