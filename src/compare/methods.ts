/**
 * The method registry: how each method a comparison can run is built from the
 * training rows of one split. A method is a loss (`ce`, `wce`, `focal`, `cb`,
 * `ldam`, `dwb`, `crcen`, `rwwce`, `csl`), a sampler (`smote`, `adasyn`,
 * `balance`, `remix`, `mixup`; trained with cross-entropy), or a sampler and a
 * loss joined by `+` (`smote+dwb`). Every piece comes from this library
 * (`losses.*`, `data.*`, `callbacks.CSL`); this file only wires them up.
 *
 * Each component has documented defaults and accepts option overrides by name
 * (unknown names are rejected); option values are checked by the library
 * factories themselves.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import {Callback} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';
import {CSL} from '../callbacks/csl';
import {ADASYN, adasyn} from '../data/adasyn';
import {balancedBatches, BalanceStrategy} from '../data/balance';
import {fromTensors} from '../data/fromTensors';
import {mixup} from '../data/mixup';
import {remix} from '../data/remix';
import {SMOTE, smote} from '../data/smote';
import {classBalancedWeights, inverseFrequencyWeights} from '../losses/classWeights';
import {classBalanced} from '../losses/classBalanced';
import type {LossFunction} from '../losses/common';
import {crcen} from '../losses/crcen';
import {csl} from '../losses/csl';
import {dwb} from '../losses/dwb';
import {focal} from '../losses/focal';
import {ldam} from '../losses/ldam';
import {rwwce, rwwceBinary} from '../losses/rwwce';
import {weightedCrossEntropy} from '../losses/weightedCrossEntropy';
import type {Costs} from './types';

/** What a method is built from: the training rows of one split and the run's settings. */
export interface MethodContext {
  /** Training rows per class (before any resampling). */
  classCounts: number[];
  /** Number of classes C >= 2. */
  numClasses: number;
  /** Costs of mistakes, if given. */
  costs: Costs | null;
  /** Seed of the batch order and the sampler. */
  seed: number;
  /** Mini-batch size of the training stream. */
  batchSize: number;
  /** Epochs the run trains for (the largest budget). */
  epochs: number;
  /** The model outputs logits (a linear last layer): every loss reads them with `fromLogits: true`. */
  fromLogits: boolean;
}

/** The training rows as tensors (kept alive by the caller for the whole run). */
export interface TrainingTensors {
  /** Features [n, ...featureShape], float32. */
  xs: tf.Tensor;
  /** Class indices [n], int32. */
  labels: tf.Tensor1D;
  /** One-hot targets [n, C], float32. */
  oneHot: tf.Tensor2D;
}

/** A batch of the training stream: features and one-hot (or soft) targets. */
export type TrainingBatch = {
  /** Features [batch, ...featureShape], float32. */
  xs: tf.Tensor;
  /** Targets [batch, C], float32: one-hot, or soft rows from mixing samplers (ReMix, mixup). */
  ys: tf.Tensor;
};

/** Everything a method contributes to one training run. */
export interface MethodPlan {
  /** For `model.compile({loss})`: a tfjs loss name or a loss of this library. */
  loss: string | LossFunction;
  /** Callbacks the method needs (e.g. `callbacks.CSL`), placed before the comparison's own. */
  callbacks: Callback[];
  /** The training stream: batches reshuffled every epoch (seeded). */
  dataset: tfd.Dataset<TrainingBatch>;
  /** Frees what the plan made (resampled tensors, loss constants, CSL state). */
  dispose(): void;
}

/**
 * Option values of one component by name, e.g. `{gamma: 2}` for `focal`.
 * @inline
 */
type Options = Record<string, unknown>;

/** What a loss component contributes to a run. */
export interface LossPart {
  /** For `model.compile({loss})`: a tfjs loss name or a loss of this library. */
  loss: string | LossFunction;
  /** Callbacks the loss needs (e.g. `callbacks.CSL`, LDAM's deferred re-weighting switch). */
  callbacks?: Callback[];
  /** Frees the loss's tensors. */
  dispose?: () => void;
}

/** What every registry entry has: its kind, option defaults and description. */
export interface Component {
  /** `'loss'` (an entry of {@link LOSSES}) or `'sampler'` (an entry of {@link SAMPLERS}, trained with cross-entropy unless joined with a loss). */
  kind: 'loss' | 'sampler';
  /** Option names and defaults (undefined = optional, no default). */
  defaults: Options;
  /** One line for the report, given the effective options. */
  describe(o: Options): string;
}

/** A loss of the registry ({@link LOSSES}). */
export interface LossComponent extends Component {
  /** Always `'loss'`. */
  kind: 'loss';
  /** Builds the loss for one split from its class counts (and costs) and the effective options `o`. */
  build(ctx: MethodContext, o: Options): LossPart;
}

/** A sampler of the registry ({@link SAMPLERS}). */
export interface SamplerComponent extends Component {
  /** Always `'sampler'`. */
  kind: 'sampler';
  /** Builds the training stream of one split from its training rows and the effective options `o`; `dispose` frees resampled tensors. */
  build(ctx: MethodContext, o: Options, train: TrainingTensors): {
    /** The training stream: batches reshuffled every epoch (seeded). */
    dataset: tfd.Dataset<TrainingBatch>;
    /** Frees what the sampler made (resampled tensors). */
    dispose?: () => void;
  };
  /** Throws ImbalancedInputError for bad option values, without data. */
  check(o: Options, ctx: MethodContext): void;
}

/** The tfjs built-in cross-entropy every sampler trains with (on softmax outputs). */
const CROSS_ENTROPY = 'categoricalCrossentropy';

/** Cross-entropy: tfjs' built-in on probabilities; on logits (tfjs' has no logits form) our weighted CE with unit weights. */
function crossEntropy(ctx: MethodContext): LossPart {
  if (!ctx.fromLogits) return {loss: CROSS_ENTROPY};
  const loss = weightedCrossEntropy({classWeights: new Array<number>(ctx.numClasses).fill(1), fromLogits: true});
  return {loss, dispose: () => loss.dispose()};
}

/** Cross-entropy batches of the training rows, reshuffled every epoch. */
function plainBatches(ctx: MethodContext, xs: tf.Tensor, oneHot: tf.Tensor): tfd.Dataset<TrainingBatch> {
  return fromTensors(xs, oneHot, {chunkSize: ctx.batchSize, seed: ctx.seed}) as tfd.Dataset<TrainingBatch>;
}

/** Batches of resampled tensors (SMOTE family output: features and class indices), which the plan then owns. */
function resampledBatches(ctx: MethodContext, r: {xs: tf.Tensor; ys: tf.Tensor}): ReturnType<SamplerComponent['build']> {
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(r.ys as tf.Tensor1D, ctx.numClasses), 'float32'));
  return {dataset: plainBatches(ctx, r.xs, oneHot), dispose: () => tf.dispose([r.xs, r.ys, oneHot])};
}

/** Runs `build` on a tiny source so the library checks the option values (no rows are read). */
function checkStreaming(build: (source: tfd.Dataset<TrainingBatch>) => unknown): void {
  const xs = tf.zeros([2, 1]);
  const ys = tf.tensor1d([0, 1], 'int32');
  try {
    build(fromTensors(xs, ys) as tfd.Dataset<TrainingBatch>);
  } finally {
    tf.dispose([xs, ys]);
  }
}

/** Row chunks of the training rows with class-index labels, the source of the streaming samplers. */
function rowChunks(ctx: MethodContext, train: TrainingTensors) {
  return fromTensors(train.xs, train.labels, {seed: ctx.seed});
}

/**
 * A loss that switches from `first` to `later` when epoch `atEpoch` (0-based)
 * begins: LDAM's deferred re-weighting (Cao et al. 2019, §3.2).
 */
function deferred(first: LossFunction, later: LossFunction, atEpoch: number): LossPart {
  let current = first;
  const fn = ((yTrue: tf.Tensor, yPred: tf.Tensor) => current(yTrue, yPred)) as LossFunction;
  Object.defineProperty(fn, 'name', {value: first.name});
  Object.defineProperty(fn, 'config', {value: first.config});
  const dispose = () => {
    first.dispose();
    later.dispose();
  };
  Object.defineProperty(fn, 'dispose', {value: dispose});
  class Switch extends Callback {
    override async onEpochBegin(epoch: number): Promise<void> {
      current = epoch >= atEpoch ? later : first;
    }
  }
  return {loss: fn, callbacks: [new Switch()], dispose};
}

const fmt = (v: unknown) => (Array.isArray(v) ? `[${v.map(x => (typeof x === 'number' ? +x.toFixed(3) : x)).join(', ')}]` : String(v));

/** Losses by registry name. */
export const LOSSES: Record<string, LossComponent> = {
  ce: {
    kind: 'loss', defaults: {},
    describe: () => "cross-entropy (tfjs' built-in categoricalCrossentropy; on logits, weightedCrossEntropy with unit weights)",
    build: ctx => crossEntropy(ctx),
  },
  wce: {
    kind: 'loss', defaults: {classWeights: undefined},
    describe: o => `cross-entropy weighted per class (${o.classWeights ? `weights ${fmt(o.classWeights)}` : 'inverse class frequency'})`,
    build: (ctx, o) => {
      const loss = weightedCrossEntropy({classWeights: (o.classWeights as number[]) ?? inverseFrequencyWeights(ctx.classCounts), fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  focal: {
    kind: 'loss', defaults: {gamma: 2, alpha: undefined},
    describe: o => `focal loss (Lin et al. 2017), γ = ${o.gamma}${o.alpha !== undefined ? `, α = ${fmt(o.alpha)}` : ''}`,
    build: (ctx, o) => {
      const loss = focal({gamma: o.gamma as number, ...(o.alpha !== undefined ? {alpha: o.alpha as number} : {}), fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  cb: {
    kind: 'loss', defaults: {beta: 0.9999, base: 'softmax', gamma: 2},
    describe: o => `class-balanced loss (Cui et al. 2019), β = ${o.beta}, ${o.base} base`,
    build: (ctx, o) => {
      const loss = classBalanced({classCounts: ctx.classCounts, beta: o.beta as number, base: o.base as 'softmax', gamma: o.gamma as number, fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  ldam: {
    kind: 'loss', defaults: {maxMargin: 0.5, scale: 1, drwEpoch: undefined, drwBeta: 0.9999},
    describe: o => `LDAM margin loss (Cao et al. 2019), max margin ${o.maxMargin}, scale ${o.scale}` +
      (o.drwEpoch !== undefined ? `, class-balanced re-weighting (β = ${o.drwBeta}) after epoch ${o.drwEpoch}` : ''),
    build: (ctx, o) => {
      const base = {classCounts: ctx.classCounts, maxMargin: o.maxMargin as number, scale: o.scale as number, fromLogits: ctx.fromLogits};
      const first = ldam(base);
      if (o.drwEpoch === undefined) return {loss: first, dispose: () => first.dispose()};
      const at = checkNumber('ldam.drwEpoch', o.drwEpoch, {min: 0, integer: true});
      return deferred(first, ldam({...base, classWeights: classBalancedWeights(ctx.classCounts, o.drwBeta as number)}), at);
    },
  },
  dwb: {
    kind: 'loss', defaults: {regularizer: 'trueClass', detachWeight: false},
    describe: o => `dynamically weighted balanced loss (Fernando & Tsokos 2021)${o.regularizer !== 'trueClass' ? `, regularizer ${o.regularizer}` : ''}`,
    build: (ctx, o) => {
      const loss = dwb({classCounts: ctx.classCounts}, {regularizer: o.regularizer as 'trueClass', detachWeight: o.detachWeight as boolean, fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  crcen: {
    kind: 'loss', defaults: {costMultiplier: 1},
    describe: o => `cost-sensitive cross-entropy with λ from the class counts (CRCEN, Li & Zhu), a = ${o.costMultiplier}`,
    build: (ctx, o) => {
      const loss = crcen({classCounts: ctx.classCounts, costMultiplier: o.costMultiplier as number, fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  rwwce: {
    kind: 'loss', defaults: {},
    describe: () => 'real-world-weight cross-entropy (Ho & Wookey 2020) with the given costs',
    build: ctx => {
      const costs = ctx.costs;
      if (costs === null) throw new ImbalancedInputError('costs', 'costs of mistakes for rwwce (--costs fn,fp or a cost file)', 'none');
      const loss = typeof costs.costFN === 'number'
        ? rwwceBinary({...(costs as {costFN: number; costFP: number}), fromLogits: ctx.fromLogits})
        : rwwce({...(costs as {costFN: number[]; costFP: number[][]}), fromLogits: ctx.fromLogits});
      return {loss, dispose: () => loss.dispose()};
    },
  },
  csl: {
    kind: 'loss', defaults: {mode: 'batch', k: 2},
    describe: o => `cross-entropy + cost-sensitive loss term (CSL) with its callback, ${o.mode} mode, k = ${o.k}`,
    build: (ctx, o) => {
      const loss = csl({numClasses: ctx.numClasses, mode: o.mode as 'batch', k: o.k as number, fromLogits: ctx.fromLogits});
      return {loss, callbacks: [new CSL(loss, {log: false})], dispose: () => loss.dispose()};
    },
  },
};

/** Class-balanced batches, as many per epoch as plain training (except undersampling, which ends when a class runs out). */
function balanceStream(source: tfd.Dataset<TrainingBatch>, ctx: MethodContext, o: Options, rows: number): tfd.Dataset<TrainingBatch> {
  const strategy = o.strategy as BalanceStrategy;
  const epochSize = strategy === 'undersample' ? undefined : Math.ceil(rows / ctx.batchSize);
  return balancedBatches(source, {
    batchSize: ctx.batchSize, strategy, numClasses: ctx.numClasses, seed: ctx.seed + 1, ...(epochSize ? {epochSize} : {}),
  }) as tfd.Dataset<TrainingBatch>;
}

function remixStream(source: tfd.Dataset<TrainingBatch>, ctx: MethodContext, o: Options): tfd.Dataset<TrainingBatch> {
  return remix(source, {
    batchSize: ctx.batchSize, numClasses: ctx.numClasses, seed: ctx.seed + 1,
    alpha: o.alpha as number, source: o.source as 'batch', balance: o.balance as 'exact',
  }) as tfd.Dataset<TrainingBatch>;
}

function mixupStream(batches: tfd.Dataset<TrainingBatch>, ctx: MethodContext, o: Options): tfd.Dataset<TrainingBatch> {
  return mixup(batches, {alpha: o.alpha as number, numClasses: ctx.numClasses, seed: ctx.seed + 1}) as tfd.Dataset<TrainingBatch>;
}

/** Samplers by registry name. */
export const SAMPLERS: Record<string, SamplerComponent> = {
  smote: {
    kind: 'sampler', defaults: {k: 5},
    describe: o => `SMOTE (Chawla et al. 2002), k = ${o.k}: minority rows grown to the majority count once per split`,
    build: (ctx, o, train) => resampledBatches(ctx, smote(train.xs, train.labels, {k: o.k as number, seed: ctx.seed + 1})),
    check: o => void new SMOTE({k: o.k as number}),
  },
  adasyn: {
    kind: 'sampler', defaults: {k: 5},
    describe: o => `ADASYN (He et al. 2008), k = ${o.k}: minority rows grown near the class border once per split`,
    build: (ctx, o, train) => resampledBatches(ctx, adasyn(train.xs, train.labels, {k: o.k as number, seed: ctx.seed + 1})),
    check: o => void new ADASYN({k: o.k as number}),
  },
  balance: {
    kind: 'sampler', defaults: {strategy: 'oversample'},
    describe: o => `class-balanced batches (${o.strategy}), as many batches per epoch as plain training`,
    build: (ctx, o, train) => ({dataset: balanceStream(rowChunks(ctx, train), ctx, o, train.labels.shape[0])}),
    check: (o, ctx) => checkStreaming(source => balanceStream(source, ctx, o, 2)),
  },
  remix: {
    kind: 'sampler', defaults: {alpha: 0.1, source: 'batch', balance: 'exact'},
    describe: o => `ReMix (Bellinger et al. 2021): balanced batches mixed with soft labels, α = ${o.alpha}` +
      (o.source !== 'batch' ? `, source ${o.source}` : ''),
    build: (ctx, o, train) => ({dataset: remixStream(rowChunks(ctx, train), ctx, o)}),
    check: (o, ctx) => checkStreaming(source => remixStream(source, ctx, o)),
  },
  mixup: {
    kind: 'sampler', defaults: {alpha: 0.1},
    describe: o => `mixup (Zhang et al. 2018), α = ${o.alpha}`,
    build: (ctx, o, train) => ({dataset: mixupStream(plainBatches(ctx, train.xs, train.oneHot), ctx, o)}),
    check: (o, ctx) => checkStreaming(source => mixupStream(source, ctx, o)),
  },
};

/** Every registry name, losses first. */
export const METHOD_NAMES = [...Object.keys(LOSSES), ...Object.keys(SAMPLERS)];

/** The default method set: plain CE, four losses and three samplers. */
export const DEFAULT_METHODS = ['ce', 'wce', 'focal', 'dwb', 'crcen', 'smote', 'balance', 'remix'];

/** A method name split into its components. */
export interface ParsedMethod {
  /** The name as given, e.g. `smote+dwb`. */
  name: string;
  /** Sampler registry name, e.g. `smote`; null for a loss alone. */
  sampler: string | null;
  /** Loss registry name, e.g. `dwb`; `ce` for a sampler alone. */
  loss: string;
}

/** Splits `smote+dwb` into sampler and loss; throws ImbalancedInputError naming `parameter` for anything else. */
export function parseMethod(name: unknown, parameter = 'method'): ParsedMethod {
  if (typeof name !== 'string' || name === '') throw new ImbalancedInputError(parameter, `a method name (${METHOD_NAMES.join(', ')}, or sampler+loss)`, name);
  const parts = name.split('+').map(p => p.trim());
  let sampler: string | null = null;
  let loss: string | null = null;
  for (const p of parts) {
    if (LOSSES[p] && loss === null) loss = p;
    else if (SAMPLERS[p] && sampler === null) sampler = p;
    else {
      const why = LOSSES[p] || SAMPLERS[p] ? 'at most one loss and one sampler' : `a method name (${METHOD_NAMES.join(', ')}, or sampler+loss such as smote+dwb)`;
      throw new ImbalancedInputError(parameter, why, name);
    }
  }
  return {name, sampler, loss: loss ?? 'ce'};
}

/** The effective options of each component of `method`: defaults overridden by `overrides` (unknown names rejected). */
export function methodOptions(method: ParsedMethod, overrides: Record<string, Record<string, unknown>> = {}, parameter = 'options'): Record<string, Options> {
  const components: [string, Component][] = [[method.loss, LOSSES[method.loss]]];
  if (method.sampler) components.unshift([method.sampler, SAMPLERS[method.sampler]]);
  checkKeys(method.name, overrides, components.map(([n]) => n), parameter);
  const out: Record<string, Options> = {};
  for (const [name, comp] of components) {
    const given = overrides?.[name] ?? {};
    const allowed = Object.keys(comp.defaults);
    checkKeys(name, given, allowed, `${parameter}.${name}`);
    const merged: Options = {};
    for (const key of allowed) {
      const v = key in given ? given[key] : comp.defaults[key];
      if (v !== undefined) merged[key] = v;
    }
    out[name] = merged;
  }
  return out;
}

/** One line describing the method with its effective options (for the report). */
export function describeMethod(method: ParsedMethod, options: Record<string, Options>): string {
  const loss = LOSSES[method.loss].describe(options[method.loss]);
  if (!method.sampler) return loss;
  const sampler = SAMPLERS[method.sampler].describe(options[method.sampler]);
  return method.loss === 'ce' ? `${sampler}; cross-entropy` : `${sampler}; ${loss}`;
}

/**
 * Checks the option values of every component of `method` without data: the
 * loss is built from `ctx.classCounts` and freed, the sampler checks its options.
 * Throws the library's ImbalancedInputError for a bad value.
 */
export function checkMethod(method: ParsedMethod, options: Record<string, Options>, ctx: MethodContext): void {
  LOSSES[method.loss].build(ctx, options[method.loss]).dispose?.();
  if (method.sampler) SAMPLERS[method.sampler].check(options[method.sampler], ctx);
}

/** Builds the loss, callbacks and training stream of `method` for one split. */
export function buildPlan(method: ParsedMethod, options: Record<string, Options>, ctx: MethodContext, train: TrainingTensors): MethodPlan {
  const lossPart = LOSSES[method.loss].build(ctx, options[method.loss]);
  let samplerPart: ReturnType<SamplerComponent['build']>;
  try {
    samplerPart = method.sampler
      ? SAMPLERS[method.sampler].build(ctx, options[method.sampler], train)
      : {dataset: plainBatches(ctx, train.xs, train.oneHot)};
  } catch (e) {
    lossPart.dispose?.();
    throw e;
  }
  return {
    loss: lossPart.loss,
    callbacks: lossPart.callbacks ?? [],
    dataset: samplerPart.dataset,
    dispose: () => {
      lossPart.dispose?.();
      samplerPart.dispose?.();
    },
  };
}
