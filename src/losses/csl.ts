/**
 * CSL: cost-sensitive loss with semantic scales, "entropies", γ and a
 * reinforcement term ("Long Tail Classification Through Cost-Sensitive Loss
 * Functions"). The paper is underspecified; this follows the authors' code
 * (github.com/iclr-sub/csl, `utils/csl_loss.py`), "REF" below. Per call (eqs. 1-2):
 *
 *   L = L_base + L_csl,   L_csl = (1/C) Σ_i a_i / D_i,   a_i = (γ_i N_i + r_i)²
 *   D_i = Σ_n Σ_k (z_nk − δ_ik)² + 1e-6 = Q − 2 s_i + B + 1e-6   (Q = Σ z², s_i = Σ_n z_ni)
 *
 * a is a constant (no gradient): it comes from S_i (squared mean output norm of
 * class i, cumulative), N_i (argmax counts), H_i = (N_i/B)·(−ln(1/B + 1e-6)),
 * γ_i = S_i / (1e-6 + (max S + 1e-6)·H_i) and r_i ∈ {−k, 0, +k} (count change vs
 * the previous update, target classes only). Batch mode recomputes them on every
 * call (REF); epoch mode once per epoch (`callbacks.CSL`).
 *
 * L_csl couples the whole batch: the per-sample output is base_n + L_csl, so the
 * batch mean is mean(base) + L_csl and its gradient is REF's.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkNumber} from '../core/validate';
import {dataOnHost} from '../core/hostMemory';
import {
  BaseLossOptions, LossConfig, LossFunction, PredictionView, baseOptions, checkNumClasses, noteLossCall,
  predictionView, reduce, targetMatrix,
} from './common';
import {LabelCheck, withLabelCheck} from './labelCheck';
import {
  CSL_EPSILON, CSL_STATS_CLIP, CslMode, CslSettings, CslState, cslStatistics, defaultCslSettings, normalizeCslSettings,
} from './cslState';

export {CslState} from './cslState';
export type {CslMode, CslPhase, CslSettings, CslSnapshot, CslStatistics} from './cslState';

/** A per-sample loss (shape [batch]) that CSL adds its term to. */
export type CslBase = 'crossEntropy' | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

export interface CslOptions extends BaseLossOptions {
  /** Number of classes C >= 2 (columns of yPred; a one-column sigmoid output counts as 2). */
  numClasses: number;
  /**
   * The loss L_csl is added to. `'crossEntropy'` (default): per-sample CE read with
   * this loss's `fromLogits` (REF: CE on logits). Or any per-sample loss function,
   * e.g. `losses.focal({gamma: 1, fromLogits: true})`; it must return shape [batch]
   * (reduction `'none'`) and read yPred the same way (`fromLogits`) as this loss.
   * In `config.options.base` a loss of this package appears as its own config
   * (JSON-safe; `losses.fromConfig` rebuilds it); any other function as itself,
   * which round-trips in memory but not through JSON.
   */
  base?: CslBase;
  /** Reinforcement size k >= 0 (REF: 2). */
  k?: number;
  /** Classes that get a reinforcement term (REF: all; the Tiny-ImageNet notebook: 0-9). Default all. */
  targetClasses?: number[];
  /** `'batch'` (default, REF) or `'epoch'` (the paper's narrative; needs `callbacks.CSL`). See {@link CslMode}. */
  mode?: CslMode;
  /** Batch mode: validation calls update the state as in REF. Default true. Needs `callbacks.CSL` to tell them apart. */
  updateOnValidation?: boolean;
  /** Integer >= 1. Batches smaller than this skip L_csl and the update (B = 1 hazard). Default 2; 1 = REF. */
  minBatchForStats?: number;
  /** Epoch mode: count scale ρ, `'auto'` (default, B/V) or a number > 0 (1 = literal). */
  rho?: 'auto' | number;
}

/**
 * A CSL loss: a `LossFunction` for `model.compile({loss})` plus the state
 * `callbacks.CSL` drives. Its `config` reflects the current settings.
 */
export type CslLossFunction = LossFunction & {
  /** The statistics and coefficients, in tf.Variables; see {@link CslState}. */
  readonly state: CslState;
};

/**
 * CSL loss of "Long Tail Classification Through Cost-Sensitive Loss Functions" (anonymous ICLR submission):
 * L = L_base + L_csl, L_csl = (1/C) Σ_i a_i / D_i (eqs. 1-2), computed as the authors' code
 * (github.com/iclr-sub/csl, "REF") does. Statistics are read from yPred as given: REF semantics
 * need `fromLogits: true` and a linear last layer (REF feeds logits to both CE
 * and the CSL term). With the library default `fromLogits: false` the outputs
 * are probabilities and S, N, D are computed from them.
 *
 * Without `callbacks.CSL`, every call updates the state (REF, including
 * `evaluate` calls); with it, the callback tells training from validation calls.
 * Use one CSL loss per output, and not as a metric: every call counts. With
 * `fit({classWeight})` tfjs averages (base_n + L_csl)·w_n, so L_csl is scaled
 * by the batch's mean weight. `loss.state.dispose()` frees its variables.
 * Option checks throw ImbalancedInputError: numClasses < 2, k < 0,
 * targetClasses out of range, unknown mode.
 */
export function csl(options: CslOptions): CslLossFunction {
  if (options === null || typeof options !== 'object') {
    throw new ImbalancedInputError('options', 'an object with at least numClasses', options);
  }
  const {fromLogits, reduction} = baseOptions(options, 'csl', ['numClasses', 'base', 'k', 'targetClasses', 'mode', 'updateOnValidation', 'minBatchForStats', 'rho']);
  const numClasses = checkNumber('numClasses', options.numClasses, {min: 2, integer: true});
  const base = options.base ?? 'crossEntropy';
  if (base !== 'crossEntropy' && typeof base !== 'function') {
    throw new ImbalancedInputError('base', "'crossEntropy' or a per-sample loss function (yTrue, yPred) => Tensor", base);
  }
  const settings: CslSettings = normalizeCslSettings(numClasses, options, defaultCslSettings(numClasses));
  const state = new CslState(numClasses, settings);

  const batchUpdate = untaped((z, y) => batchStatistics(state, z, y));
  const accumulateTrain = untaped((z, y) => accumulateEpoch(state, z, y, true));
  const accumulateValidation = untaped((z, y) => accumulateEpoch(state, z, y, false));

  const labels = new LabelCheck();
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => withLabelCheck(labels, () => tf.tidy(() => {
    noteLossCall(fn as unknown as LossFunction);
    if (state.isDisposed) throw new ImbalancedInputError('state', 'a CSL loss whose state is not disposed', 'a call after loss.state.dispose()');
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, numClasses, 'numClasses');
    const y = targetMatrix(yTrue, yPred, view);
    const B = yPred.shape[0];
    const baseLoss = base === 'crossEntropy'
      ? tf.neg(tf.sum(tf.mul(y, view.logP), 1))
      : perSampleBase(base(yTrue, yPred), B);
    const z = outputMatrix(yPred, view, fromLogits);
    const cfg = state.settings;
    // Under callbacks.CSL the fit's phase source tells a training step from a validation batch.
    const phase = state.callPhase();
    let a: tf.Tensor;
    if (cfg.mode === 'batch') {
      if (B < cfg.minBatchForStats) return reduce(baseLoss, reduction); // B = 1 hazard: H < 0
      const update = phase === 'train' || (phase === 'validation' && cfg.updateOnValidation);
      const onHost = state.statisticsOn === 'host' || (state.statisticsOn === 'auto' && dataOnHost());
      if (update && onHost) {
        // z is read back once for the statistics; L_csl's value and gradient then come from the same values.
        const {a: aHost, z: zValues} = hostBatchStatistics(state, z, y);
        return reduce(tf.add(baseLoss, hostCslTerm(z, zValues, aHost)), reduction);
      }
      a = update ? batchUpdate(z, y) : state.a;
    } else {
      if (phase === 'train') accumulateTrain(z, y);
      else if (phase === 'validation') accumulateValidation(z, y);
      a = state.a;
    }
    return reduce(tf.add(baseLoss, cslTerm(z, a)), reduction);
  }));
  Object.defineProperty(fn, 'name', {value: 'csl'});
  Object.defineProperty(fn, 'state', {value: state, enumerable: true});
  Object.defineProperty(fn, 'dispose', {value: () => state.dispose()});
  Object.defineProperty(fn, 'config', {
    enumerable: true,
    get: (): LossConfig => {
      const s = state.settings;
      return {
        name: 'csl',
        options: {
          numClasses, base: typeof base === 'function' && (base as Partial<LossFunction>).config ? (base as LossFunction).config : base, k: s.k, targetClasses: s.targetClasses, mode: s.mode,
          updateOnValidation: s.updateOnValidation, minBatchForStats: s.minBatchForStats, rho: s.rho,
          fromLogits, reduction,
        },
      };
    },
  });
  return fn as unknown as CslLossFunction;
}

/** True for a loss made by {@link csl}. */
export function isCslLoss(value: unknown): value is CslLossFunction {
  return typeof value === 'function' && (value as {state?: unknown}).state instanceof CslState;
}

/**
 * L_csl = (1/C) Σ_i a_i / D_i (eq. 2) with D_i = Q − 2 s_i + B + 1e-6, the fast
 * form of Σ_n ||z_n − e_i||² + 1e-6 (Q = Σ z², s_i = Σ_n z_ni). The difference is
 * clamped at 0 before adding ε: in float32 it can round below 0 when every z_n ≈ e_i.
 * `z`: [B, C] outputs (gradient flows through D); `a`: [C] constants (no gradient).
 *
 * The gradient is written out rather than taped (half the kernels of autodiff):
 * ∂L/∂z_nk = −(2/C) Σ_i w_i (z_nk − δ_ik) = −(2/C)(z_nk·Σ_i w_i − w_k), with
 * w_i = a_i / D_i² where the clamp is inactive and 0 where it is (as relu's gradient).
 */
export function cslTerm(z: tf.Tensor2D, a: tf.Tensor): tf.Scalar {
  const [B, C] = z.shape;
  const term = tf.customGrad(((x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const Q = tf.sum(tf.square(x));
    const beforeClamp = tf.add(tf.mul(tf.sum(x, 0), -2), tf.add(Q, B)); // Q − 2 s_i + B
    const D = tf.add(tf.relu(beforeClamp), CSL_EPSILON);
    save([x, beforeClamp, D, a]); // saved: tensors of the forward pass are gone by the backward pass
    return {
      value: tf.div(tf.sum(tf.div(a, D)), C),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, pre, Ds, as] = saved;
        const w = tf.mul(tf.div(as, tf.square(Ds)), tf.step(pre));
        return [tf.mul(tf.sub(tf.mul(zs, tf.sum(w)), w), tf.mul(dy, -2 / C))];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => term(z) as tf.Scalar);
}

/**
 * The [B, C] matrix CSL reads: yPred itself for C >= 2 columns; for one sigmoid
 * column, the two-class equivalent ([0, z] for a logit z, whose softmax is
 * [1 − σ(z), σ(z)]; [1 − p, p] for a probability).
 */
function outputMatrix(yPred: tf.Tensor, view: PredictionView, fromLogits: boolean): tf.Tensor2D {
  const B = yPred.shape[0];
  const cols = yPred.rank === 1 ? 1 : (yPred.shape[1] as number);
  const pred = tf.cast(tf.reshape(yPred, [B, cols]), 'float32') as tf.Tensor2D;
  if (!view.binarySigmoid) return pred;
  return tf.concat(fromLogits ? [tf.zerosLike(pred), pred] : [tf.sub(1, pred), pred], 1) as tf.Tensor2D;
}

/** Checks a custom base returns one value per sample (shape [batch] or [batch, 1]). */
function perSampleBase(value: tf.Tensor, batch: number): tf.Tensor1D {
  if (value.size !== batch || value.rank === 0 || (value.rank === 2 && value.shape[1] !== 1) || value.rank > 2) {
    throw new ImbalancedInputError(
      'base',
      `a per-sample loss returning shape [${batch}] (reduction 'none')`,
      `shape [${value.shape.join(', ')}]`,
    );
  }
  return tf.reshape(value, [batch]) as tf.Tensor1D;
}

/**
 * Runs `body(z, y)` as one opaque op with a zero gradient: nothing inside is
 * recorded on the gradient tape (tfjs does not tape ops run inside a custom
 * gradient's forward pass), so statistics, argmax counts and variable updates
 * never enter backprop, and nothing is read back to JS.
 */
function untaped(body: (z: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor): (z: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor {
  const op = tf.customGrad(((z: tf.Tensor2D, y: tf.Tensor2D) => ({
    value: body(z, y),
    gradFunc: () => [tf.zeros(z.shape), tf.zeros(y.shape)],
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (z, y) => op(z, y) as tf.Tensor;
}

/** nan_to_num (REF, statistics only) and a clip that keeps float32 norms finite. */
function statsInput(z: tf.Tensor2D): tf.Tensor2D {
  return tf.clipByValue(tf.where(tf.isNaN(z), tf.zerosLike(z), z), -CSL_STATS_CLIP, CSL_STATS_CLIP) as tf.Tensor2D;
}

/** Adds this batch's output norms to the running sums of their true classes; returns the sums. */
function addNorms(state: CslState, z: tf.Tensor2D, y: tf.Tensor2D): {normSum: tf.Tensor; normCount: tf.Tensor} {
  const norms = tf.sqrt(tf.sum(tf.square(z), 1, true)); // [B, 1]
  // Soft labels share a sample's norm between classes in proportion to y.
  const normSum = tf.add(state.normSum, tf.sum(tf.mul(y, norms), 0));
  const normCount = tf.add(state.normCount, tf.sum(y, 0));
  state.normSum.assign(normSum);
  state.normCount.assign(normCount);
  return {normSum, normCount};
}

/** Argmax counts per class (first index on ties), [C]. */
function predictionCounts(z: tf.Tensor2D): tf.Tensor1D {
  return tf.cast(tf.sum(tf.oneHot(tf.argMax(z, 1), z.shape[1]), 0), 'float32') as tf.Tensor1D;
}

/**
 * One REF update, in REF's order: storage (this batch included) →
 * S → N, H → γ → r against N^prev → a → N^prev ← N. Returns a.
 */
function batchStatistics(state: CslState, zIn: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor {
  const cfg = state.settings;
  const [B, C] = zIn.shape;
  const z = statsInput(zIn);
  const {normSum, normCount} = addNorms(state, z, y);
  const S = tf.square(tf.divNoNan(normSum, normCount)); // 0 for a class never seen
  const N = predictionCounts(z);
  // H_i = (N_i/B)·(−ln(1/B + 1e-6)): the log is a JS constant (float64; exact at B = 1).
  let H: tf.Tensor = tf.mul(N, -Math.log(1 / B + CSL_EPSILON) / B);
  if (cfg.minBatchForStats > 1) H = tf.relu(H); // H < 0 only at B = 1: unreachable when guarded
  const denom = tf.add(CSL_EPSILON, tf.mul(tf.add(tf.max(S), CSL_EPSILON), H));
  const gamma = tf.div(S, denom);
  // r_i = −k·sign(N_i − N_i^prev) on target classes once N^prev exists (+ 0 turns −0 into 0).
  // r = sign(N − N^prev)·(−k·1[i ∈ T]), the row kept by the state.
  const r = state.hasPrev
    ? tf.add(tf.mul(tf.sign(tf.sub(N, state.prevCounts)), state.reinforcementRow()), 0)
    : tf.zeros([C]);
  // N_i = 0 gives a_i = r_i²: γ_i is finite (S <= 1e24 after the clip, H = 0 gives S·1e6), so γ_i·0 = 0.
  const a = tf.square(tf.add(tf.mul(gamma, N), r));
  // S, H and γ are not stored: snapshot() derives them from the sums, N and B.
  state.r.assign(r);
  state.a.assign(a);
  state.prevCounts.assign(N);
  state.lastSamples = B;
  state.hasPrev = true;
  state.updates += 1;
  return a;
}

/** nan_to_num then the float32-safe clip of {@link statsInput}, for one value. */
function statsValue(v: number): number {
  return Number.isNaN(v) ? 0 : Math.min(CSL_STATS_CLIP, Math.max(-CSL_STATS_CLIP, v));
}

/**
 * The same update as {@link batchStatistics} on a host-memory backend: z and y
 * are read back once and S, N, H, γ, r, a computed in float64 JS
 * (`cslStatistics`, the formulas of eqs. 1-2) from the state's float32 host
 * copy, which is updated in place (the variables get it before anything reads
 * them). Nothing here is on the gradient tape (the returned a is a constant).
 */
function hostBatchStatistics(state: CslState, z: tf.Tensor2D, y: tf.Tensor2D): {a: Float32Array; z: ArrayLike<number>} {
  const cfg = state.settings;
  const [B, C] = z.shape;
  const zv = z.dataSync();
  const yv = y.dataSync();
  const host = state.hostCopy();
  const normSum = Float64Array.from(host.normSum);
  const normCount = Float64Array.from(host.normCount);
  const counts = new Float64Array(C);
  for (let n = 0; n < B; n++) {
    let squares = 0;
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < C; k++) {
      const v = statsValue(zv[n * C + k]);
      squares += v * v;
      if (v > bestValue) { // first index on ties, as argMax
        bestValue = v;
        best = k;
      }
    }
    const norm = Math.sqrt(squares);
    for (let i = 0; i < C; i++) {
      normSum[i] += yv[n * C + i] * norm; // soft labels share a sample's norm
      normCount[i] += yv[n * C + i];
    }
    counts[best] += 1;
  }
  const stats = cslStatistics({
    normSum, normCount, counts, samples: B, prevCounts: state.hasPrev ? host.prevCounts : null,
    k: cfg.k, targetClasses: cfg.targetClasses, clampEntropy: cfg.minBatchForStats > 1,
  });
  // Stored as float32, as the variables would hold them.
  host.normSum.set(normSum);
  host.normCount.set(normCount);
  host.prevCounts.set(stats.N);
  host.r.set(stats.r);
  host.a.set(stats.a);
  state.hostUpdated();
  state.lastSamples = B;
  state.hasPrev = true;
  state.updates += 1;
  return {a: host.a.slice(), z: zv}; // a copy of a: host.a changes with the next call
}

/**
 * {@link cslTerm} on a host-memory backend, from z's values already read for
 * the statistics: Q, s_i, D_i, the value (1/C) Σ a_i / D_i (eq. 2) and the
 * gradient weights w_i = a_i / D_i² are computed in float64 JS, so the graph
 * holds only the value and, in the backward pass, −(2/C)(z·Σw − w)·dy: about
 * 4 kernels instead of 15 per step.
 */
function hostCslTerm(z: tf.Tensor2D, zv: ArrayLike<number>, a: ArrayLike<number>): tf.Scalar {
  const [B, C] = z.shape;
  let Q = 0;
  const s = new Float64Array(C);
  for (let n = 0; n < B; n++) {
    for (let i = 0; i < C; i++) {
      const v = zv[n * C + i];
      Q += v * v;
      s[i] += v;
    }
  }
  let value = 0;
  let sumW = 0;
  const w = new Float32Array(C);
  for (let i = 0; i < C; i++) {
    const beforeClamp = Q - 2 * s[i] + B; // Q − 2 s_i + B; clamped at 0 (float rounding) before adding ε
    const D = Math.max(beforeClamp, 0) + CSL_EPSILON;
    value += a[i] / D;
    w[i] = beforeClamp > 0 ? a[i] / (D * D) : 0;
    sumW += w[i];
  }
  value /= C;
  const term = tf.customGrad(((x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.scalar(value),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(tf.sub(tf.mul(saved[0], sumW), tf.tensor1d(w)), tf.mul(dy, -2 / C))],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => term(z) as tf.Scalar);
}

/**
 * Epoch mode, one call: a training call adds its norms to the storage and its
 * argmax counts to the training counts; a validation call adds its counts to the
 * validation counts. a itself changes only in `state.endEpoch()`.
 */
function accumulateEpoch(state: CslState, zIn: tf.Tensor2D, y: tf.Tensor2D, training: boolean): tf.Tensor {
  const B = zIn.shape[0];
  const z = statsInput(zIn);
  const N = predictionCounts(z);
  if (training) {
    addNorms(state, z, y);
    state.trainCounts.assign(tf.add(state.trainCounts, N));
    state.trainSamples += B;
    state.maxTrainBatch = Math.max(state.maxTrainBatch, B);
  } else {
    state.valCounts.assign(tf.add(state.valCounts, N));
    state.valSamples += B;
  }
  return N;
}
