/**
 * The metrics a comparison can report, by key, and the evaluation of one set
 * of test predictions with them (`metrics.*` and `metrics.reliabilityDiagram`
 * from this library; nothing is recomputed here).
 *
 * Binary tasks are scored from P(class 1) as one sigmoid column, so the
 * decision is `p > threshold` (0.5, or a threshold tuned on validation rows);
 * the probability metrics (AUROC, AUPRC, ECE, Brier) do not depend on it.
 */
import {ImbalancedInputError} from '../errors';
import {checkKeys} from '../core/validate';
import {
  auprc, auroc, balancedAccuracy, balancedBrier, brier, confusionMatrix, ece, f1, gmean, mce, mcc, precision, realWorldCost,
  recall, reliabilityDiagram,
} from '../metrics';
import type {Metric, TensorData} from '../metrics';
import type {Costs, Evaluation, MetricInfo} from './types';

/** What a metric needs besides the predictions. */
export interface MetricContext {
  /** Log name of the metric (its key). */
  name: string;
  /** Number of classes C >= 2. */
  numClasses: number;
  /** Binary decision threshold on P(class 1), in [0, 1]; multiclass tasks decide by argmax and ignore it. */
  threshold: number;
  /** Equal-width confidence bins of ECE and MCE (a comparison's default: 15). */
  bins: number;
  /** Costs of mistakes for the `cost` metric; null if none were given. */
  costs: Costs | null;
  /** The predictions are logits (softmax applied by the metric). Default false: probabilities. */
  fromLogits?: boolean;
}

/** A metric of the registry ({@link METRICS}): how it is shown and how it is made. */
export interface MetricDef extends Omit<MetricInfo, 'key'> {
  /** A fresh stateful metric (`metrics.*` of this library) for the context. */
  make(ctx: MetricContext): Metric<number>;
  /** Only for binary tasks. */
  binaryOnly?: boolean;
  /** Needs costs. */
  needsCosts?: boolean;
}

/** The options every metric factory takes: the log name, the binary threshold and how predictions are read. */
const base = (ctx: MetricContext) => ({name: ctx.name, threshold: ctx.threshold, fromLogits: ctx.fromLogits ?? false});

/** A metric of `key` for the context (logged under `key`). */
export function makeMetric(key: string, ctx: Omit<MetricContext, 'name'>): Metric<number> {
  return METRICS[key].make({...ctx, name: key});
}

/** Every metric key a comparison understands. */
export const METRICS: Record<string, MetricDef> = {
  balancedAccuracy: {
    label: 'bal. acc', better: 'max', description: 'balanced accuracy: mean recall over the classes',
    make: ctx => balancedAccuracy(base(ctx)),
  },
  macroF1: {label: 'macro F1', better: 'max', description: 'mean F1 over the classes', make: ctx => f1({...base(ctx), average: 'macro'})},
  gmean: {label: 'g-mean', better: 'max', description: 'geometric mean of the per-class recalls', make: ctx => gmean(base(ctx))},
  auroc: {label: 'AUROC', better: 'max', description: 'area under the ROC curve (one-vs-rest macro for multiclass)', make: ctx => auroc(base(ctx))},
  auprc: {
    label: 'AUPRC', better: 'max', description: 'average precision (positive class; one-vs-rest macro for multiclass)',
    make: ctx => auprc(base(ctx)),
  },
  ece: {
    label: 'ECE', better: 'min', description: 'expected calibration error, top-label, equal-width bins',
    make: ctx => ece({...base(ctx), bins: ctx.bins}),
  },
  brier: {label: 'Brier', better: 'min', description: 'Brier score, squared error summed over the classes', make: ctx => brier(base(ctx))},
  balancedBrier: {
    label: 'bal. Brier', better: 'min', description: 'balanced Brier: the Brier score averaged per class, then over classes',
    make: ctx => balancedBrier(base(ctx)),
  },
  cost: {
    label: 'cost', better: 'min', description: 'real-world cost per example of the decisions (Ho & Wookey)', needsCosts: true,
    make: ctx => realWorldCost({...(ctx.costs as Costs), ...base(ctx)} as Parameters<typeof realWorldCost>[0]),
  },
  mcc: {label: 'MCC', better: 'max', description: 'Matthews correlation coefficient', make: ctx => mcc(base(ctx))},
  accuracy: {label: 'accuracy', better: 'max', description: 'fraction of correct decisions', make: ctx => f1({...base(ctx), average: 'micro'})},
  f1: {
    label: 'F1 (pos.)', better: 'max', description: 'F1 of the positive class (class 1)', binaryOnly: true,
    make: ctx => f1({...base(ctx), average: 'binary'}),
  },
  mce: {label: 'MCE', better: 'min', description: 'maximum calibration error over the bins', make: ctx => mce({...base(ctx), bins: ctx.bins})},
};

/** The default metric list (plus `cost` when costs are given). */
export const DEFAULT_METRICS = ['balancedAccuracy', 'macroF1', 'gmean', 'auroc', 'auprc', 'ece', 'brier', 'balancedBrier'];

/** Prefix of the class-group metrics: `recall:head` is the mean recall of the classes in group `head`. */
export const GROUP_PREFIX = 'recall:';

/** Validates a metric list against the task; returns the keys with `cost` appended when costs are given and it is missing. */
export function resolveMetrics(keys: string[] | undefined, numClasses: number, costs: Costs | null): string[] {
  const list = keys === undefined ? [...DEFAULT_METRICS] : keys;
  if (!Array.isArray(list) || list.length === 0) throw new ImbalancedInputError('metrics', `a non-empty list of ${Object.keys(METRICS).join(', ')}`, keys);
  const seen = new Set<string>();
  list.forEach((key, i) => {
    const def = METRICS[key];
    if (!def) throw new ImbalancedInputError(`metrics[${i}]`, `one of ${Object.keys(METRICS).join(', ')}`, key);
    if (def.binaryOnly && numClasses !== 2) throw new ImbalancedInputError(`metrics[${i}]`, 'a metric defined for this multiclass task (f1 is the positive class of a binary task)', key);
    if (def.needsCosts && costs === null) throw new ImbalancedInputError(`metrics[${i}]`, 'costs for the cost metric (option costs / --costs)', key);
    if (seen.has(key)) throw new ImbalancedInputError(`metrics[${i}]`, 'each metric once', key);
    seen.add(key);
  });
  if (keys === undefined && costs !== null) list.push('cost');
  return list;
}

/** The info rows of the reported metrics (group metrics included). */
export function metricInfo(keys: string[], groups: Record<string, number[]> | null): MetricInfo[] {
  const info: MetricInfo[] = keys.map(key => {
    const {label, better, description} = METRICS[key];
    return {key, label, better, description};
  });
  for (const name of Object.keys(groups ?? {})) {
    info.push({key: GROUP_PREFIX + name, label: `${name} recall`, better: 'max', description: `mean recall of the ${name} classes`});
  }
  return info;
}

/** Options of {@link evaluatePredictions}. */
export interface EvaluateOptions {
  /** Metric keys to compute (keys of {@link METRICS}), e.g. from {@link resolveMetrics}. */
  metrics: string[];
  /** Binary decision threshold on P(class 1); ignored (null) for multiclass. */
  threshold: number | null;
  /** Equal-width bins of ECE, MCE and the reliability bins. */
  bins: number;
  /** Costs of mistakes (needed by the `cost` metric); null if none. */
  costs: Costs | null;
  /** Named class groups, each reported as `recall:<name>` (mean of its classes' finite recalls); null if none. */
  classGroups: Record<string, number[]> | null;
}

/** The predictions as the metrics read them: P(class 1) as a sigmoid column for binary tasks, else [n, C]. */
function predictionData(probs: Float32Array, n: number, numClasses: number): TensorData {
  if (numClasses !== 2) return {values: probs, shape: [n, numClasses]};
  const p1 = new Float32Array(n);
  for (let i = 0; i < n; i++) p1[i] = probs[2 * i + 1];
  return {values: p1, shape: [n, 1]};
}

/** Mean of the finite values (NaN if none). */
function finiteMean(values: number[]): number {
  const ok = values.filter(Number.isFinite);
  return ok.length === 0 ? NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
}

/**
 * Scores softmax probabilities `probs` (row-major [n, C]) against `labels`:
 * the listed metrics, the confusion matrix, top-label reliability bins and
 * per-class recall / precision / F1.
 */
export function evaluatePredictions(
  labels: Int32Array,
  probs: Float32Array,
  numClasses: number,
  opts: EvaluateOptions,
): Pick<Evaluation, 'threshold' | 'metrics' | 'confusion' | 'reliability' | 'perClass'> {
  checkKeys('evaluatePredictions', opts, ['metrics', 'threshold', 'bins', 'costs', 'classGroups']);
  const n = labels.length;
  const threshold = numClasses === 2 ? opts.threshold ?? 0.5 : 0.5;
  const yTrue: TensorData = {values: labels, shape: [n]};
  const yPred = predictionData(probs, n, numClasses);
  const ctx = {numClasses, threshold, bins: opts.bins, costs: opts.costs};
  const score = <R>(m: Metric<R>): R => {
    m.update(yTrue, yPred);
    return m.result();
  };
  const metrics: Record<string, number> = {};
  for (const key of opts.metrics) metrics[key] = score(makeMetric(key, ctx));
  const perClass = {
    recall: score(recall({average: 'none', threshold, zeroDivision: 'nan'})),
    precision: score(precision({average: 'none', threshold, zeroDivision: 'nan'})),
    f1: score(f1({average: 'none', threshold, zeroDivision: 'nan'})),
  };
  // A class absent from both labels and predictions is left out of 'none' results' length: pad to C.
  for (const k of ['recall', 'precision', 'f1'] as const) {
    while (perClass[k].length < numClasses) perClass[k].push(NaN);
  }
  for (const [name, classes] of Object.entries(opts.classGroups ?? {})) {
    metrics[GROUP_PREFIX + name] = finiteMean(classes.map(k => perClass.recall[k]));
  }
  const confusion = score(confusionMatrix({threshold}));
  const {bins} = reliabilityDiagram(yTrue, yPred, {bins: opts.bins});
  return {threshold: numClasses === 2 ? threshold : null, metrics, confusion, reliability: bins, perClass};
}
