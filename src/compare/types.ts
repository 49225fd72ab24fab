/**
 * Types of the comparison engine: the data it takes, its options, and the
 * result object (every per-repeat number, curves, confusion matrices,
 * reliability bins, per-class results, timings and the configuration) that the
 * report renderer and the CLI's `--json` consume. The result is plain JSON
 * (numbers, strings, arrays): `JSON.parse(JSON.stringify(result))` renders the
 * same report.
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import type {ReliabilityBin} from '../metrics/reliabilityDiagram';

/** Labelled examples held in memory: row-major features of any shape plus class indices. */
export interface CompareData {
  /** Row-major feature values, numRows · prod(featureShape). */
  readonly features: Float32Array;
  /** Class index per row, in [0, numClasses). */
  readonly labels: Int32Array;
  /** Number of rows. */
  readonly numRows: number;
  /** Shape of one row's features: `[d]` for a table, `[28, 28, 1]` for images. Default `[numFeatures]`. */
  readonly featureShape?: number[];
  /** prod(featureShape); a `TabularDataset` carries it. */
  readonly numFeatures: number;
  /** Number of classes C >= 2. */
  readonly numClasses: number;
  /** Class names, index = class. Default '0', '1', ... */
  readonly classNames?: string[];
  /** Feature names (tables), shown nowhere but kept in the result. */
  readonly featureNames?: string[];
}

/** Costs of mistakes: binary (class 1 is the positive class) or per class pair (RWWCE, Ho & Wookey eq. 6). */
export type Costs =
  | {
      /** Binary: cost of a false negative (a class-1 row predicted 0), >= 0. */
      costFN: number;
      /** Binary: cost of a false positive (a class-0 row predicted 1), >= 0. */
      costFP: number;
    }
  | {
      /** Per class i (length C): cost of any error on a row of true class i (w_fn^i), >= 0. */
      costFN: number[];
      /** C x C, zero diagonal: extra cost of predicting class j for a row of true class i (`costFP[i][j]`), >= 0. */
      costFP: number[][];
    };

/** A method to compare: a registry name (`'dwb'`, `'smote+focal'`) or the same with a label and option overrides. */
export type MethodEntry = string | MethodSpec;

/** A method with its own label and option overrides. */
export interface MethodSpec {
  /** Registry name: a loss (`ce`, `wce`, `focal`, ...), a sampler (`smote`, `remix`, ...) or `sampler+loss`. */
  method: string;
  /** Label in tables and the report; default the method name (plus overrides, e.g. `focal(gamma=1)`). */
  label?: string;
  /** Option overrides per component, e.g. `{focal: {gamma: 1}}` or `{smote: {k: 3}, dwb: {regularizer: 'none'}}`. */
  options?: Record<string, Record<string, unknown>>;
}

/** Row indices of one train / validation / test split. */
export interface SplitIndices {
  /** Rows the model trains on. */
  train: ArrayLike<number>;
  /** Rows for early stopping, threshold tuning and temperature scaling; may be empty (then nothing of that runs). */
  validation?: ArrayLike<number>;
  /** Rows every reported number is computed on. */
  test: ArrayLike<number>;
}

/**
 * How the rows are split, repeat by repeat:
 * - `{kind: 'stratified', validation, test}` (default 0.2 / 0.2): stratified
 *   random train / validation / test split, a new seeded split per repeat;
 *   `validation: 0` gives train / test only (e.g. the 75/25 protocol).
 * - an array of {@link SplitIndices}: fixed splits, one per repeat (e.g. an official train / test split).
 * - a function `(repeat, seed, labels) => SplitIndices`.
 */
export type SplitOption =
  | {
      /** Stratified random split, seeded per repeat. */
      kind: 'stratified';
      /** Fraction of each class held out for validation, in [0, 1), validation + test < 1. Default 0.2; 0: no validation rows. */
      validation?: number;
      /** Fraction of each class held out for testing, in (0, 1). Default 0.2. The rest trains. */
      test?: number;
    }
  | SplitIndices[]
  | ((repeat: number, seed: number, labels: Int32Array) => SplitIndices);

/**
 * Builds the network: `(inputShape, numClasses, seed) => model` whose output is
 * softmax probabilities [batch, numClasses] (logits with `fromLogits: true`).
 * `seed` is an integer >= 1, the same for every method of a repeat: seed every
 * initializer from it, never with 0 (tfjs reads an initializer seed of 0 as
 * "no seed"), and leave dropout unseeded (a seeded tfjs dropout layer draws the
 * same mask at every step).
 */
export type ModelBuilder = (inputShape: number[], numClasses: number, seed: number) => LayersModel;

/** Rows of one part of a run's split as the model saw them. */
export interface RowSet {
  /** Features [rows, ...featureShape], scaled as `standardize` says; owned by the engine. */
  xs: Tensor;
  /** Class index per row. */
  labels: Int32Array;
}

/** The rows of a run's split as the model saw them; the tensors are freed when `onModel` returns. */
export interface RunRows {
  /** The training rows (before any resampling). */
  train: RowSet;
  /** The validation rows; null without a validation split. */
  validation: RowSet | null;
  /** The test rows every reported number is computed on. */
  test: RowSet;
}

/** Options of {@link CompareOptions.threshold}: the binary decision rule. */
export type ThresholdOption = number | 'tuned';

/** Options of `compare.run`. Every field has a default. */
export interface CompareOptions {
  /** Methods to compare. Default {@link DEFAULT_METHODS}. */
  methods?: MethodEntry[];
  /** Training epochs (the budget), or several budgets: each run trains to the largest and is also evaluated at the others. Default 30. */
  epochs?: number | number[];
  /** Mini-batch size. Default 64. */
  batchSize?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Hidden layer widths of the default MLP. Default [64, 32]. */
  hidden?: number[];
  /** Replaces the default MLP (`compare.mlp(hidden, {dropout, l2})` builds others). */
  buildModel?: ModelBuilder;
  /**
   * The model outputs logits (a linear last layer) instead of softmax
   * probabilities: every loss reads them with `fromLogits: true` (`ce` becomes
   * `losses.weightedCrossEntropy` with unit weights, as tfjs' built-in has no
   * logits form), metrics and temperature scaling apply the softmax, and the
   * default MLP gets a linear last layer. Default false.
   */
  fromLogits?: boolean;
  /** Number of repeats (splits, with their own seeds). Default 3; with fixed splits, their number. */
  repeats?: number;
  /** Base seed of splits, initialisers, batch order and samplers. Default 0. */
  seed?: number;
  /** How rows are split. Default stratified 60 / 20 / 20. */
  splits?: SplitOption;
  /**
   * Scale features with statistics of the training rows: true = z-scores (mean
   * and sd), `'minmax'` = each feature to [0, 1] (min and max), false = as given.
   * Default true for 1-D features, false otherwise.
   */
  standardize?: boolean | 'minmax';
  /**
   * Metrics reported, in table order (keys of {@link METRICS}). Default:
   * balancedAccuracy, macroF1, gmean, auroc, auprc, ece, brier, balancedBrier (+ cost with costs).
   */
  metrics?: string[];
  /** Costs of mistakes: enable the `cost` metric and the `rwwce` loss. */
  costs?: Costs;
  /**
   * Validation metric for early stopping and best-epoch selection, e.g. `'val_gmean'`
   * (exact, through `callbacks.ExactMetrics`) or `'val_loss'`; `null`: train every epoch, keep the last.
   * Default `'val_gmean'` (`'loss'` when there is no validation split).
   */
  monitor?: string | null;
  /** Epochs without improvement of `monitor` before stopping. Default 10; `Infinity`: never stop, still restore the best epoch. */
  patience?: number;
  /** Binary tasks: decide class 1 when p > threshold, or `'tuned'` to maximise `thresholdMetric` on the validation rows. Default 0.5. */
  threshold?: ThresholdOption;
  /** Metric the tuned threshold maximises: `'gmean'` (default), `'balancedAccuracy'`, `'macroF1'` or `'f1'` (positive class). */
  thresholdMetric?: 'gmean' | 'balancedAccuracy' | 'macroF1' | 'f1';
  /** Also report every method after temperature scaling on the validation rows (Guo et al. 2017). Default false. */
  temperatureScale?: boolean;
  /** Reliability / ECE bins. Default 15. */
  bins?: number;
  /** Named class groups (e.g. head / middle / tail) reported as their mean recall (`recall:<name>` metrics). */
  classGroups?: Record<string, number[]>;
  /** Dataset name recorded in the result. */
  dataName?: string;
  /** Called as the comparison proceeds (progress bars, logs). */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Called with each successfully trained model (best epoch's weights, compiled
   * with the method's loss), its run and its rows (features as the model saw
   * them), before the model and rows are disposed: e.g. `io.save(model, ...)`,
   * or predictions for a statistic the engine does not compute. An error thrown
   * here stops the comparison.
   */
  onModel?: (model: LayersModel, run: RunResult, rows: RunRows) => void | Promise<void>;
}

/** Identifies one training run. */
export interface RunKey {
  /** Method label. */
  method: string;
  /** Repeat index, 0-based. */
  repeat: number;
  /** Run index, 0-based, of `total`. */
  index: number;
  /** Number of runs. */
  total: number;
}

/** What `onProgress` receives. */
export type ProgressEvent =
  | {
      /** Before any training. */
      type: 'start';
      /** Number of runs: methods x repeats. */
      runs: number;
      /** Epochs each run trains at most (the largest budget). */
      epochs: number;
      /** Method labels, in run order. */
      methods: string[];
      /** Number of repeats. */
      repeats: number;
    }
  | {
      /** A run is about to train. */
      type: 'runStart';
      /** The run. */
      run: RunKey;
    }
  | {
      /** A run finished an epoch (after its validation pass). */
      type: 'epoch';
      /** The run. */
      run: RunKey;
      /** Epoch just finished, 0-based. */
      epoch: number;
      /** Epochs the run trains at most (it may stop early). */
      epochs: number;
      /** The epoch's logs: `loss`, `val_loss`, exact `ece` / `val_ece` and the monitored metric. */
      logs: Record<string, number>;
    }
  | {
      /** A run finished (trained and evaluated, or failed with `result.error`). */
      type: 'runEnd';
      /** The run. */
      run: RunKey;
      /** Its result, as it appears in {@link CompareResult.runs}. */
      result: RunResult;
    }
  | {
      /** Every run finished. */
      type: 'end';
      /** Wall time of the whole comparison, seconds. */
      seconds: number;
    };

/** Metric values and the detail a report draws, for one model on the test rows. */
export interface Evaluation {
  /** Training budget (epochs) this evaluation belongs to. */
  budget: number;
  /** True for the temperature-scaled predictions. */
  calibrated: boolean;
  /** Epoch (1-based) whose weights were evaluated. */
  epoch: number;
  /** Binary decision threshold used (null for multiclass: argmax). */
  threshold: number | null;
  /** Fitted temperature (calibrated rows only). */
  temperature?: number;
  /** Metric key -> value. */
  metrics: Record<string, number>;
  /** Confusion matrix, rows = true class, columns = predicted. */
  confusion: number[][];
  /** Top-label reliability bins (count, mean confidence, accuracy). */
  reliability: ReliabilityBin[];
  /** Per-class recall, precision and F1 (NaN where undefined). */
  perClass: {
    /** Recall of each class (index = class): correct / rows of the class. */
    recall: number[];
    /** Precision of each class: correct / rows predicted as the class (NaN when none is). */
    precision: number[];
    /** F1 of each class: harmonic mean of its precision and recall. */
    f1: number[];
  };
}

/** One method trained on one split. */
export interface RunResult {
  /** Method label. */
  method: string;
  /** Registry name it was built from (`'smote+dwb'`). */
  methodName: string;
  /** Repeat index, 0-based. */
  repeat: number;
  /** Seeds of this run: split, weight initialisation, batch order and sampler. */
  seeds: {
    /** Seed of the repeat's split (`seed + repeat`). */
    split: number;
    /** Seed of the weight initialisation, shared by every method of the repeat. */
    init: number;
    /** Seed of the batch order and the sampler. */
    data: number;
  };
  /** Rows per part, and training rows per class before resampling. */
  rows: {
    /** Training rows. */
    train: number;
    /** Validation rows (0 without a validation split). */
    validation: number;
    /** Test rows. */
    test: number;
    /** Training rows per class (index = class), before any resampling. */
    trainCounts: number[];
  };
  /** Epochs trained. */
  epochsRun: number;
  /** Best epoch by `monitor` (1-based; the last epoch without a monitor). */
  bestEpoch: number;
  /** Training wall time in seconds (includes per-epoch validation). */
  seconds: number;
  /** Per-epoch logs (loss, val_loss, the monitored metric and ECE, training and validation). */
  history: Record<string, number[]>;
  /** One entry per budget, plus calibrated ones with temperature scaling. */
  evaluations: Evaluation[];
  /** Why the run failed (e.g. the loss became NaN); no evaluations then. */
  error?: string;
}

/** Mean and sample standard deviation of one metric over repeats. */
export interface Stat {
  /** Mean of the finite values; NaN if there is none. */
  mean: number;
  /** Sample standard deviation (n - 1) of the finite values; 0 for one value, NaN for none. */
  sd: number;
  /** Per-repeat values, in repeat order (non-finite ones included). */
  values: number[];
}

/** One table row: a method (calibrated or not) at one budget, over repeats. */
export interface SummaryRow {
  /** Row label, e.g. `dwb` or `dwb + TS`. */
  label: string;
  /** Method label. */
  method: string;
  /** True for the temperature-scaled evaluations (`+ TS` rows). */
  calibrated: boolean;
  /** Training budget (epochs) of the row. */
  budget: number;
  /** Metric key -> statistics over the repeats that succeeded. */
  stats: Record<string, Stat>;
  /** Metric keys where this row is best among the rows of its budget. */
  best: string[];
  /** Epoch (1-based) whose weights were evaluated, over the repeats that succeeded. */
  bestEpoch: Stat;
  /** Training wall time in seconds, over the repeats that succeeded. */
  seconds: Stat;
  /** Repeats that failed. */
  failed: number;
}

/** A reported metric. */
export interface MetricInfo {
  /** Metric key: a key of {@link METRICS}, or `recall:<group>` for a class group. */
  key: string;
  /** Column header. */
  label: string;
  /** Whether higher or lower is better. */
  better: 'max' | 'min';
  /** One line: what it measures. */
  description: string;
}

/** Description of the compared data. */
export interface DataSummary {
  /** Dataset name (option `dataName`; default `'data'`). */
  name: string;
  /** Number of rows. */
  numRows: number;
  /** Shape of one row's features. */
  featureShape: number[];
  /** Number of classes. */
  numClasses: number;
  /** Class names, index = class. */
  classNames: string[];
  /** Rows per class over the whole data, index = class. */
  classCounts: number[];
  /** Largest class count / smallest. */
  imbalanceRatio: number;
}

/** The resolved configuration: enough to repeat the run. */
export interface ResolvedConfig {
  /** The compared methods, in order. */
  methods: {
    /** Label in tables and the report. */
    label: string;
    /** Registry name, e.g. `smote+dwb`. */
    method: string;
    /** Effective options per component (defaults with the overrides applied), e.g. `{focal: {gamma: 2}}`. */
    options: Record<string, Record<string, unknown>>;
  }[];
  /** Training budgets in epochs, ascending, without duplicates; runs train for the last. */
  epochs: number[];
  /** Mini-batch size. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Hidden layer widths of the default MLP; null with a custom `buildModel`. */
  hidden: number[] | null;
  /** Whether `buildModel` replaced the default MLP. */
  customModel: boolean;
  /** Whether the model outputs logits (losses read them with `fromLogits: true`). */
  fromLogits: boolean;
  /** Number of repeats. */
  repeats: number;
  /** Base seed. */
  seed: number;
  /** How rows were split, in words, e.g. `stratified train/validation/test 60/20/20`. */
  splits: string;
  /** How features were scaled with the training rows' statistics: true = z-scores, `'minmax'` = to [0, 1], false = not at all. */
  standardize: boolean | 'minmax';
  /** Reported metric keys, in table order (`cost` appended when costs were given). */
  metrics: string[];
  /** Costs of mistakes; null if none were given. */
  costs: Costs | null;
  /** Log key of early stopping and best-epoch selection; null: the last epoch is kept. */
  monitor: string | null;
  /** Epochs without improvement before stopping (Infinity: never); null without a monitor. */
  patience: number | null;
  /** Binary decision threshold, or `'tuned'` on the validation rows. */
  threshold: ThresholdOption;
  /** Metric a tuned threshold maximises. */
  thresholdMetric: string;
  /** Whether temperature-scaled evaluations were added. */
  temperatureScale: boolean;
  /** Reliability / ECE bins. */
  bins: number;
  /** Named class groups reported as `recall:<name>`; null if none. */
  classGroups: Record<string, number[]> | null;
}

/** What `compare.run` returns. */
export interface CompareResult {
  /** Format tag of this object. */
  format: 'tfjs-imbalanced/compare@1';
  /** Library version, tfjs version and backend. */
  environment: {
    /** tfjs-imbalanced version. */
    library: string;
    /** tfjs-core version. */
    tfjs: string;
    /** tfjs backend the comparison ran on (`cpu`, `wasm`, `webgl`, ...). */
    backend: string;
    /** Further entries a caller adds (e.g. the CLI's Node version). */
    [key: string]: string;
  };
  /** The resolved configuration: every option with its default filled in. */
  config: ResolvedConfig;
  /** Description of the compared data. */
  data: DataSummary;
  /** The reported metrics, in table order. */
  metrics: MetricInfo[];
  /** The compared methods in order, each with a one-line description of what it does. */
  methods: {
    /** Label in tables and the report. */
    label: string;
    /** Registry name, e.g. `smote+dwb`. */
    method: string;
    /** One line: what the method does, with its effective options. */
    description: string;
  }[];
  /** Every run (method x repeat), in run order: repeat by repeat, methods in order within a repeat. */
  runs: RunResult[];
  /** Table rows: one per method x budget (x calibrated), over the repeats. */
  summary: SummaryRow[];
  /** Wall time of the whole comparison, seconds. */
  seconds: number;
  /** Free-form additions of the caller (the CLI stores its command line here). */
  extra?: Record<string, unknown>;
}
