/**
 * CRCEN diagnostics (Li & Zhu, "CRCEN: A Generalized Cost-sensitive Neural Network Approach for Imbalanced Classification"). λ is fixed for a run, so
 * nothing here changes training: the callback only measures, once per epoch,
 *  - FN and FP on the validation data at the decision threshold;
 *  - the key equation (eq. 6) on the training data: LHS6 = Σ_{S1}(1-p)/Σ_{S0}p
 *    against (1-λ)/λ, plus the λ the model behaves as if trained with;
 *  - eq. 7 on the validation data: p̄1, p̄0 and (1-p̄1)/p̄0 against N0(1-λ)/(N1 λ).
 * `crcenExpenseSweep` trains one model per cost multiplier a and reports the
 * expense ΔFP/ΔFN between consecutive settings (the paper's Fig. 1).
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel, ModelFitArgs} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber, checkNumberArray} from '../core/validate';
import {predictionBatches} from '../core/predict';
import {labelsOf} from '../data/classCounts';
import {LossConfig} from '../losses/common';
import {crcen, crcenLambda, eq6Lhs, expense, impliedLambda} from '../losses/crcen';
import {FitSession, PHASE_ORDER, PhaseCallback, PhaseWork} from './fitPhase';
import {Logs} from './logs';
import {compiledLosses, findLossConfig, lossConfigOf} from './modelInternals';

/** `[xs, ys]` with ys as class indices ([n] / [n, 1]) or one-hot rows. */
export type LabelledTensors = [tf.Tensor, tf.Tensor];

/** Options of {@link CRCENExpense}. */
export interface CrcenExpenseOptions {
  /** Data for FN / FP and eq. 7 (held-out). */
  validationData: LabelledTensors;
  /** Data for the eq. 6 check (the training set); without it the eq. 6 keys are not written. */
  trainingData?: LabelledTensors;
  /** Predict the minority class iff p > threshold. Default 0.5 (the paper's rule). */
  threshold?: number;
  /** λ in use; default: read from the model's compiled `crcen` loss. */
  lambda?: number;
  /** Training counts [N_class0, N_class1] for eq. 7; default: from the crcen loss config or `trainingData`. */
  classCounts?: number[];
  /** The paper's y = 1 (the class λ weights). Default: from the crcen loss config, else 1. */
  minorityClass?: number;
  /** Batch size for the prediction passes. Default 256. */
  batchSize?: number;
}

/** One epoch's measurements (also written into the epoch logs with a `crcen_` prefix). */
export interface CrcenEpochRecord {
  /** Epoch index (0-based, as tfjs passes it). */
  epoch: number;
  /** Validation minority samples predicted as majority (p <= threshold). */
  fn: number;
  /** Validation majority samples predicted as minority (p > threshold). */
  fp: number;
  /** Mean predicted minority probability of the validation minority samples, p̄1 (eq. 7). */
  p1bar: number;
  /** Mean predicted minority probability of the validation majority samples, p̄0 (eq. 7). */
  p0bar: number;
  /** (1 - p̄1) / p̄0, eq. 7's left side. */
  eq7Lhs: number;
  /** N0 (1 - λ) / (N1 λ), eq. 7's right side (NaN without training counts). */
  eq7Rhs: number;
  /** Eq. 6's left side Σ_{S1}(1 - p) / Σ_{S0} p on the training data (NaN without `trainingData`). */
  lhs6: number;
  /** (1 - λ) / λ, eq. 6's right side. */
  rhs6: number;
  /** 1 / (1 + lhs6): the λ the model behaves as if trained with (NaN without `trainingData`). */
  impliedLambda: number;
}

/** `data` as `[xs, ys]` tensors with the same number of rows, else an error naming `name`. */
function checkLabelled(name: string, data: unknown): LabelledTensors {
  const ok = Array.isArray(data) && data.length === 2 && data[0] instanceof tf.Tensor && data[1] instanceof tf.Tensor &&
    data[0].shape[0] === data[1].shape[0];
  if (!ok) throw new ImbalancedInputError(name, '[xs, ys] tensors with the same number of rows', data);
  return data as LabelledTensors;
}

/** Binary labels (1 = minority) from class indices or one-hot rows, each class 0 or 1. Read once per fit. */
function minorityLabels(ys: tf.Tensor, minorityClass: number, name: string): Uint8Array {
  const {labels} = labelsOf(ys, `${name} ys`);
  const y = new Uint8Array(labels.length);
  labels.forEach((label, i) => {
    if (label > 1) throw new ImbalancedInputError(`${name} ys[${i}]`, 'a binary label 0 or 1', label);
    y[i] = label === minorityClass ? 1 : 0;
  });
  return y;
}

/** Predicted minority-class probability per row of `xs` (one linear-time pass). */
async function minorityProbs(model: LayersModel, xs: tf.Tensor, minorityClass: number, batchSize: number): Promise<Float32Array> {
  const p = new Float32Array(xs.shape[0]);
  for (const {outputs: [out], start, end} of predictionBatches(model, xs, batchSize)) {
    const cols = out.rank === 1 ? 1 : (out.shape[1] as number);
    if (cols > 2) throw new ImbalancedInputError('model output', 'one sigmoid column or two softmax columns (CRCEN is binary)', `${cols} columns`);
    const values = await out.data();
    for (let i = start; i < end; i++) {
      const p1 = cols === 1 ? values[i - start] : values[2 * (i - start) + 1];
      p[i] = minorityClass === 1 ? p1 : 1 - p1;
    }
  }
  return p;
}

/** The first crcen config among `losses` (a crcen loss, or a loss built on one, e.g. csl({base: crcen(...)})). */
function crcenConfigIn(losses: unknown[]): LossConfig | undefined {
  for (const fn of losses) {
    const found = findLossConfig(lossConfigOf(fn), 'crcen');
    if (found) return found;
  }
  return undefined;
}

/**
 * Measures CRCEN's diagnostics once per epoch (see the module comment) and
 * writes them into the epoch logs as `crcen_fn`, `crcen_fp`, `crcen_p1bar`,
 * `crcen_p0bar`, `crcen_eq7_lhs`, `crcen_eq7_rhs` and, with `trainingData`,
 * `crcen_lhs6`, `crcen_rhs6`, `crcen_implied_lambda`. Changes nothing in training.
 */
export class CRCENExpense extends PhaseCallback {
  /** One record per epoch. */
  readonly history: CrcenEpochRecord[] = [];
  private readonly opts: CrcenExpenseOptions;
  private readonly threshold: number;
  private readonly batchSize: number;
  private lambda = NaN;
  /** Training counts of the majority (n0) and minority (n1) class, for eq. 7. */
  private counts: {n0: number; n1: number} | null = null;
  private minorityClass = 1;
  /** Binary labels of the validation / training data, read when the fit begins. */
  private valLabels: Uint8Array | null = null;
  private trainLabels: Uint8Array | null = null;

  constructor(options: CrcenExpenseOptions) {
    super();
    checkKeys('new CRCENExpense()', options, ['validationData', 'trainingData', 'threshold', 'lambda', 'classCounts', 'minorityClass', 'batchSize']);
    if (!options || !options.validationData) {
      throw new ImbalancedInputError('validationData', '[xs, ys] tensors of held-out data', options?.validationData);
    }
    checkLabelled('validationData', options.validationData);
    if (options.trainingData !== undefined) checkLabelled('trainingData', options.trainingData);
    this.opts = options;
    this.threshold = checkNumber('threshold', options.threshold ?? 0.5, {min: 0, max: 1});
    this.batchSize = checkNumber('batchSize', options.batchSize ?? 256, {min: 1, integer: true});
    if (options.lambda !== undefined) checkNumber('lambda', options.lambda, {min: 0, max: 1, openMin: true, openMax: true});
    if (options.classCounts !== undefined) checkNumberArray('classCounts', options.classCounts, {length: 2, min: 0, openMin: true});
    if (options.minorityClass !== undefined) checkNumber('minorityClass', options.minorityClass, {min: 0, max: 1, integer: true});
  }

  /**
   * Reads λ, the counts and the minority class from the options or the
   * compiled crcen loss (seen through wrappers of ours and a CSL base). A crcen
   * loss inside someone else's wrapper is found by the first training step.
   */
  protected async begin(session: FitSession): Promise<PhaseWork> {
    const config = crcenConfigIn(compiledLosses(session.model));
    let pending = config === undefined && this.opts.lambda === undefined && session.inFit;
    if (pending) session.model.outputs.forEach((_, i) => session.tap(i));
    else this.configure(config);
    return {
      order: PHASE_ORDER.crcenExpense,
      batchEnd: async () => {
        if (!pending) return;
        pending = false;
        this.configure(crcenConfigIn(session.model.outputs.flatMap((_, i) => session.reached(i))));
      },
      epochEnd: async (epoch, logs) => this.endEpoch(epoch, logs),
    };
  }

  /** Settings from the options, else from `lossConfig` (a crcen config); reads the labels once. */
  private configure(lossConfig: LossConfig | undefined): void {
    const fromLoss = lossConfig?.options;
    const lossCounts = fromLoss?.classCounts as number[] | undefined;
    if (lossCounts && lossCounts.length !== 2) {
      throw new ImbalancedInputError('model loss', 'a binary crcen loss (CRCEN diagnostics are for two classes)', `crcen with ${lossCounts.length} classes`);
    }
    const m = this.opts.minorityClass ?? (fromLoss?.minorityClass as number | undefined) ?? 1;
    this.minorityClass = m;
    // Labels do not change during training: read them once here, not every epoch.
    this.valLabels = minorityLabels(this.opts.validationData[1], m, 'validationData');
    this.trainLabels = this.opts.trainingData ? minorityLabels(this.opts.trainingData[1], m, 'trainingData') : null;
    const classOrder = this.opts.classCounts ?? lossCounts;
    if (classOrder) this.counts = {n0: classOrder[1 - m], n1: classOrder[m]};
    else if (this.trainLabels) {
      const n1 = this.trainLabels.reduce((a, b) => a + b, 0);
      this.counts = {n0: this.trainLabels.length - n1, n1};
    } else this.counts = null;
    if (this.opts.lambda !== undefined) this.lambda = this.opts.lambda;
    else if (fromLoss?.lambda !== undefined) this.lambda = fromLoss.lambda as number;
    else if (lossCounts !== undefined) {
      this.lambda = crcenLambda(lossCounts[1 - m], lossCounts[m], (fromLoss?.costMultiplier as number | undefined) ?? 1);
    } else {
      throw new ImbalancedInputError('lambda', 'a λ option, or a model compiled with losses.crcen (or a loss calling it)', 'neither');
    }
  }

  private async endEpoch(epoch: number, logs: Logs): Promise<void> {
    const record = await this.measure(epoch);
    this.history.push(record);
    logs.crcen_fn = record.fn;
    logs.crcen_fp = record.fp;
    logs.crcen_p1bar = record.p1bar;
    logs.crcen_p0bar = record.p0bar;
    logs.crcen_eq7_lhs = record.eq7Lhs;
    logs.crcen_eq7_rhs = record.eq7Rhs;
    if (this.opts.trainingData) {
      logs.crcen_lhs6 = record.lhs6;
      logs.crcen_rhs6 = record.rhs6;
      logs.crcen_implied_lambda = record.impliedLambda;
    }
  }

  private async measure(epoch: number): Promise<CrcenEpochRecord> {
    const valY = this.valLabels;
    if (valY === null) throw new Error('CRCENExpense: onTrainBegin must run before onEpochEnd (attach the callback to fit)');
    const valP = await minorityProbs(this.model, this.opts.validationData[0], this.minorityClass, this.batchSize);
    let fn = 0;
    let fp = 0;
    let s1 = 0;
    let n1 = 0;
    let s0 = 0;
    let n0 = 0;
    valP.forEach((p, i) => {
      const predictedMinority = p > this.threshold;
      if (valY[i] === 1) {
        n1++;
        s1 += p;
        if (!predictedMinority) fn++;
      } else {
        n0++;
        s0 += p;
        if (predictedMinority) fp++;
      }
    });
    const p1bar = s1 / n1;
    const p0bar = s0 / n0;
    const {n0: N0, n1: N1} = this.counts ?? {n0: NaN, n1: NaN};
    let lhs6 = NaN;
    if (this.opts.trainingData && this.trainLabels) {
      const trY = this.trainLabels;
      const trP = await minorityProbs(this.model, this.opts.trainingData[0], this.minorityClass, this.batchSize);
      const pos: number[] = [];
      const neg: number[] = [];
      trP.forEach((p, i) => (trY[i] === 1 ? pos : neg).push(p));
      lhs6 = eq6Lhs(pos, neg);
    }
    return {
      epoch, fn, fp, p1bar, p0bar,
      eq7Lhs: (1 - p1bar) / p0bar, // eq. 7 left side
      eq7Rhs: (N0 * (1 - this.lambda)) / (N1 * this.lambda), // eq. 7 right side
      lhs6,
      rhs6: (1 - this.lambda) / this.lambda, // eq. 6 right side
      impliedLambda: Number.isFinite(lhs6) ? impliedLambda(lhs6) : NaN,
    };
  }
}

/** One row of the expense sweep. */
export interface ExpenseRow {
  /** The paper's a, or null for the λ = 1/2 (plain CE) reference run. */
  costMultiplier: number | null;
  /** The λ the model of this row was trained with. */
  lambda: number;
  /** False negatives on `data.test`. */
  fn: number;
  /** False positives on `data.test`. */
  fp: number;
  /** ΔFP / ΔFN against the previous row (NaN for the first). */
  expense: number;
}

/** Options of {@link crcenExpenseSweep}. */
export interface ExpenseSweepOptions {
  /** Cost multipliers a, trained in this order after the λ = 1/2 run. Default [0.5, 1, 1.5, 2] (§4.2). */
  alphas?: number[];
  /** Passed to `model.fit` (epochs, batchSize, ...). */
  fitArgs?: ModelFitArgs;
  /** Decision threshold. Default 0.5. */
  threshold?: number;
  /** The paper's y = 1. Default: the rarer class in the training labels. */
  minorityClass?: number;
  /** Makes the optimizer of each model: a fresh one per call, disposed after its run. Default: Adam(1e-3). */
  optimizer?: () => tf.Optimizer;
}

/**
 * Trains one fresh model per λ (λ = 1/2, then λ(a) for each a) and counts FN
 * and FP on `data.test`; the expense of each step is ΔFP / ΔFN (§4.2, Fig. 1;
 * the paper's Abalone step gives 105/19 = 5.53). `buildModel` must return a new,
 * uncompiled binary model (one sigmoid or two softmax outputs) on each call.
 */
export async function crcenExpenseSweep(
  buildModel: () => LayersModel,
  data: {train: LabelledTensors; test: LabelledTensors},
  options: ExpenseSweepOptions = {},
): Promise<ExpenseRow[]> {
  checkKeys('crcenExpenseSweep', options, ['alphas', 'fitArgs', 'threshold', 'minorityClass', 'optimizer']);
  const alphas = checkNumberArray('alphas', options.alphas ?? [0.5, 1, 1.5, 2], {min: 0, openMin: true});
  const threshold = checkNumber('threshold', options.threshold ?? 0.5, {min: 0, max: 1});
  checkLabelled('data.train', data?.train);
  checkLabelled('data.test', data?.test);
  const labels = minorityLabels(data.train[1], 1, 'data.train'); // class indices, each 0 or 1
  const n1 = labels.reduce((a, b) => a + b, 0);
  const counts = [labels.length - n1, n1];
  const minorityClass = checkNumber('minorityClass', options.minorityClass ?? (counts[1] <= counts[0] ? 1 : 0), {min: 0, max: 1, integer: true});
  const settings: Array<{costMultiplier: number | null; lambda: number}> = [
    {costMultiplier: null, lambda: 0.5},
    ...alphas.map(a => ({costMultiplier: a, lambda: crcenLambda(counts[1 - minorityClass], counts[minorityClass], a)})),
  ];
  // tfjs' fit wants targets shaped like the output: [n, 1] for a sigmoid, one-hot [n, 2] for a softmax.
  const targets = new Map<number, tf.Tensor>();
  const targetsFor = (cols: number) => {
    if (!targets.has(cols)) {
      targets.set(cols, tf.tidy(() => {
        const y = tf.tensor1d(labels, 'int32');
        return cols === 2 ? tf.cast(tf.oneHot(y, 2), 'float32') : tf.reshape(tf.cast(y, 'float32'), [-1, 1]);
      }));
    }
    return targets.get(cols) as tf.Tensor;
  };
  const rows: ExpenseRow[] = [];
  try {
    for (const s of settings) {
      const model = buildModel();
      // compile does not take ownership of an optimizer object: dispose it (and its slot variables) ourselves.
      const optimizer = options.optimizer ? options.optimizer() : tf.train.adam(1e-3);
      const loss = crcen({lambda: s.lambda, minorityClass});
      try {
        model.compile({optimizer, loss});
        const cols = model.outputs[0].shape[model.outputs[0].shape.length - 1] as number;
        await model.fit(data.train[0], targetsFor(cols), {verbose: 0, ...options.fitArgs});
        const probe = new CRCENExpense({validationData: data.test, threshold, lambda: s.lambda, minorityClass, classCounts: counts});
        probe.setModel(model);
        await probe.onTrainBegin();
        await probe.onEpochEnd(0);
        await probe.onTrainEnd(); // closes the fit session the hand-driven probe opened
        const {fn, fp} = probe.history[0];
        const prev = rows[rows.length - 1];
        rows.push({...s, fn, fp, expense: prev ? expense(prev, {fn, fp}) : NaN});
      } finally {
        model.dispose();
        optimizer.dispose();
        loss.dispose();
      }
    }
  } finally {
    targets.forEach(t => t.dispose());
  }
  return rows;
}
