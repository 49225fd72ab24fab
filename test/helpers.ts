/** Shared test utilities: tolerances, finite differences, tensor-leak checks. */
import * as tf from '@tensorflow/tfjs';
import {ImbalancedInputError} from '../src/errors';

/** Element-wise |a - e| <= atol + rtol |e| with a readable failure message. */
export function expectClose(actual: number | ArrayLike<number> | number[][], expected: number | ArrayLike<number> | number[][], rtol = 1e-5, atol = 1e-7): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length).toBe(e.length);
  const bad: string[] = [];
  a.forEach((v, i) => {
    const tol = atol + rtol * Math.abs(e[i]);
    if (!(Math.abs(v - e[i]) <= tol) && !(v === e[i])) bad.push(`[${i}] got ${v}, expected ${e[i]} (tol ${tol.toExponential(1)})`);
  });
  if (bad.length) throw new Error(`values differ:\n${bad.slice(0, 10).join('\n')}`);
}

function flatten(x: number | ArrayLike<number> | number[][]): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  for (const v of Array.from(x as ArrayLike<unknown>)) {
    if (typeof v === 'number') out.push(v);
    else out.push(...flatten(v as ArrayLike<number>));
  }
  return out;
}

/** The ImbalancedInputError `f` throws; fails the test when `f` returns, or throws anything else. */
export function inputError(f: () => unknown): ImbalancedInputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImbalancedInputError);
    return e as ImbalancedInputError;
  }
  throw new Error('expected an ImbalancedInputError, got a result');
}

/** {@link inputError} for a function that may return a promise: its rejection counts too. */
export async function inputErrorAsync(f: () => unknown): Promise<ImbalancedInputError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImbalancedInputError);
    return e as ImbalancedInputError;
  }
  throw new Error('expected an ImbalancedInputError, got a result');
}

/** Reads a tensor as nested JS arrays / number and disposes it. */
export function take<T = number[]>(t: tf.Tensor): T {
  const v = t.arraySync() as unknown as T;
  t.dispose();
  return v;
}

/** Analytic gradient of a scalar function of one tensor, via tf.grad. */
export function analyticGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): number[] {
  return tf.tidy(() => Array.from(tf.grad(v => f(v).sum() as tf.Scalar)(x).dataSync()));
}

/**
 * Central finite differences of a scalar function of one tensor, in float32.
 * `h` defaults to 1e-2: round-off (~1e-7 / h) and truncation (~h^2) are both ~1e-5.
 */
export function numericGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, h = 1e-2): number[] {
  const base = Array.from(x.dataSync());
  return base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += h;
    minus[i] -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).sum().dataSync()[0]);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).sum().dataSync()[0]);
    return (fp - fm) / (2 * h);
  });
}

/** A small MLP used by the model-level tests (fit, leaks, callbacks). */
export function smallModel(inputDim: number, outputs: number, activation: 'softmax' | 'sigmoid' | 'linear' = 'softmax', seed = 1): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [inputDim], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed})}));
  model.add(tf.layers.dense({units: outputs, activation, kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1})}));
  return model;
}

/** Seeded toy data: n rows, d features, labels with the given class shares. */
export function toyData(n: number, d: number, shares: number[], seed = 7): {xs: tf.Tensor2D; labels: number[]} {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cum = shares.map((_, i) => shares.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const total = cum[cum.length - 1];
  const labels: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rand() * total;
    const c = cum.findIndex(v => u < v);
    labels.push(c);
    for (let j = 0; j < d; j++) x.push(rand() - 0.5 + (j === c % d ? 1.5 : 0));
  }
  return {xs: tf.tensor2d(x, [n, d]), labels};
}

/**
 * Runs `fit` for `epochs` epochs and returns tf.memory().numTensors at the end
 * of each epoch. A leak-free loss/metric/callback gives a constant sequence.
 */
export async function tensorCountsPerEpoch(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  args: tf.ModelFitArgs = {},
  epochs = 3,
): Promise<number[]> {
  const counts: number[] = [];
  const given = args.callbacks ? (Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks]) : [];
  // tfjs takes either all callback instances or all plain objects: make them all instances.
  const userCallbacks = (given as unknown[]).map(c => (c instanceof tf.Callback || c instanceof tf.CustomCallback ? c : new tf.CustomCallback(c as tf.CustomCallbackArgs)));
  await model.fit(xs, ys, {
    batchSize: 16,
    verbose: 0,
    ...args,
    epochs,
    callbacks: [...(userCallbacks as tf.CustomCallback[]), new tf.CustomCallback({onEpochEnd: async () => { counts.push(tf.memory().numTensors); }})],
  });
  return counts;
}

/** Expects the tensor count not to grow after the first epoch. */
export function expectNoGrowth(counts: number[]): void {
  expect(counts.length).toBeGreaterThan(1);
  expect(counts[counts.length - 1]).toBe(counts[0]);
}
