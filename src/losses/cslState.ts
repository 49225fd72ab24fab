/**
 * The state a CSL loss (./csl.ts) carries across calls, and the one place its
 * options are validated. It follows the authors' code ("REF": github.com/iclr-sub/csl,
 * `utils/csl_loss.py`); epoch mode is the paper's narrative.
 *
 * Everything the loss reads or updates inside a training step lives in
 * non-trainable `tf.Variable`s (updated with `assign`); everything decided per
 * call (mode, phase, k, T) is plain JS, since tfjs runs the loss eagerly on
 * every step. On GPU backends the batch-mode statistics are computed in the
 * graph and never read back in a training step; on cpu / wasm, where reading
 * a tensor back is a copy rather than a device sync, the batch is read once and
 * the statistics, L_csl's value and its gradient weights are computed from it
 * in JS (float64), so a step runs as many kernels as one with the plain
 * cross-entropy. `callbacks.CSL` owns the object during `fit`: it attaches a
 * phase source that tells each call apart, and in epoch mode calls `endEpoch()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkNumber, checkOneOf} from '../core/validate';

/** The ε REF uses in four places: D, the γ denominator, max S and inside ln. */
export const CSL_EPSILON = 1e-6;

/** Statistics are computed from outputs clipped to ±this (after NaN → 0), so float32 norms and S stay finite. */
export const CSL_STATS_CLIP = 1e12;

/** |γ| is clipped to this in epoch logs only: γ_i = S_i·1e6 for a class with N_i = 0 is meaningless. */
export const CSL_GAMMA_LOG_LIMIT = 1e6;

/**
 * `'batch'`: the authors' code (REF): every loss call recomputes S, N, H, γ, r, a
 * from that call's batch and uses them at once. `'epoch'`: the paper's
 * narrative: a is fixed during an epoch and recomputed at its end
 * from the epoch's validation predictions (training predictions without validation).
 */
export type CslMode = 'batch' | 'epoch';
export const CSL_MODES: readonly CslMode[] = ['batch', 'epoch'];

/**
 * What a loss call is: `'train'` a training step, `'validation'` a validation
 * batch, `'off'` anything else (no state update; the stored a is used). During a
 * fit with `callbacks.CSL` a phase source decides it per call; otherwise the
 * state's `phase` applies, `'train'` by default, so every call updates the
 * state, as in REF.
 */
export type CslPhase = 'train' | 'validation' | 'off';

/** Tells a CSL loss what each of its calls is (set by `callbacks.CSL` for the length of a fit). */
export interface CslPhaseSource {
  /** The phase of the call `key` makes now (its first call in a batch is the training step). */
  classify(key: object): CslPhase;
}

/** The settings a CSL state works with; `callbacks.CSL` may override them. */
export interface CslSettings {
  /** See {@link CslMode}. Default `'batch'`. */
  mode: CslMode;
  /** Reinforcement size k >= 0: r_i ∈ {-k, 0, +k}. Default 2. */
  k: number;
  /** Target classes T that get a reinforcement term (sorted, unique). Default: all classes. */
  targetClasses: number[];
  /** Batch mode: validation calls update the state too (REF). Default true. */
  updateOnValidation: boolean;
  /**
   * Batch mode: a call with fewer samples skips the CSL term and the state update
   * (B = 1 makes H < 0 and γ ≈ -1e6·S). Epoch mode: the end-of-epoch
   * update needs at least this many counted samples. Integer >= 1; 1 reproduces REF's
   * hazard exactly. Default 2.
   */
  minBatchForStats: number;
  /**
   * Epoch mode: the count scale ρ in a_i = (γ_i N_i ρ + r_i)². `'auto'` (default)
   * ρ = B / V, the training batch size over the number of counted samples, which
   * keeps a on REF's per-batch scale; a number, e.g. 1 (the literal reading).
   */
  rho: 'auto' | number;
}

/** The per-class statistics of one update (one REF call, or one epoch in epoch mode). */
export interface CslStatistics {
  /** Semantic scale S_i = (mean output norm of class i)², cumulative. */
  S: number[];
  /** Prediction counts N_i (argmax hits). */
  N: number[];
  /** REF "entropy" H_i = (N_i/B)·(-ln(1/B + 1e-6)). */
  H: number[];
  /** γ_i = S_i / (1e-6 + (max S + 1e-6)·H_i). Raw (S_i·1e6 for N_i = 0). */
  gamma: number[];
  /** Reinforcement r_i ∈ {-k, 0, +k}. */
  r: number[];
  /** Coefficients a_i = (γ_i N_i ρ + r_i)² (ρ = 1 in batch mode), the constants of L_csl. */
  a: number[];
}

/** Everything a state holds, as plain arrays (read outside the training step). */
export interface CslSnapshot extends CslStatistics {
  /** The state's mode when the snapshot was taken. */
  mode: CslMode;
  /** Running Σ ||z_n|| per true class (REF's feature storage, as sums). */
  normSum: number[];
  /** Running count of samples per true class. */
  normCount: number[];
  /** N of the previous update (REF's N^prev), or null before the first one. */
  prevCounts: number[] | null;
  /** Number of updates so far (loss calls in batch mode, epochs in epoch mode). */
  updates: number;
}

/** Where batch mode computes a call's statistics: see {@link CslState.statisticsOn}. */
export type CslStatisticsPlace = 'auto' | 'host' | 'graph';

/** The state's variables, by name. */
export type CslVariableName = 'normSum' | 'normCount' | 'prevCounts' | 'a' | 'r' | 'trainCounts' | 'valCounts';
/** The variables batch mode updates on every call. */
export type HostVariableName = 'normSum' | 'normCount' | 'prevCounts' | 'a' | 'r';
const HOST_VARIABLES: readonly HostVariableName[] = ['normSum', 'normCount', 'prevCounts', 'a', 'r'];
/** Float32 copies of the variables batch mode updates (see `CslState.hostCopy`). */
export type HostCopy = Record<HostVariableName, Float32Array>;

/** Settings as a user passes them (all optional). */
export type CslSettingsInput = Partial<Omit<CslSettings, 'targetClasses'>> & {
  /** Target classes T that get a reinforcement term, any order (sorted and deduplicated when read). Default: all classes. */
  targetClasses?: number[];
};

/**
 * Validates `input` against `numClasses` and merges it over `defaults`. Throws
 * ImbalancedInputError naming the parameter (`k`, `targetClasses[2]`, `mode`, ...).
 */
export function normalizeCslSettings(numClasses: number, input: CslSettingsInput, defaults: CslSettings): CslSettings {
  const out: CslSettings = {...defaults, targetClasses: defaults.targetClasses.slice()};
  if (input.mode !== undefined) out.mode = checkOneOf('mode', input.mode, CSL_MODES);
  if (input.k !== undefined) out.k = checkNumber('k', input.k, {min: 0});
  if (input.targetClasses !== undefined) {
    const t = input.targetClasses as unknown;
    if (!Array.isArray(t)) throw new ImbalancedInputError('targetClasses', `an array of class indices in [0, ${numClasses - 1}]`, t);
    t.forEach((c, i) => checkNumber(`targetClasses[${i}]`, c, {min: 0, max: numClasses - 1, integer: true}));
    out.targetClasses = Array.from(new Set(t as number[])).sort((x, y) => x - y);
  }
  if (input.updateOnValidation !== undefined) out.updateOnValidation = checkBoolean('updateOnValidation', input.updateOnValidation);
  if (input.minBatchForStats !== undefined) {
    out.minBatchForStats = checkNumber('minBatchForStats', input.minBatchForStats, {min: 1, integer: true});
  }
  if (input.rho !== undefined) {
    out.rho = input.rho === 'auto' ? 'auto' : checkNumber('rho', input.rho, {min: 0, openMin: true});
  }
  return out;
}

/** Default settings for `numClasses` classes (REF's: k = 2, T = all, validation updates). */
export function defaultCslSettings(numClasses: number): CslSettings {
  return {
    mode: 'batch',
    k: 2,
    targetClasses: Array.from({length: numClasses}, (_, i) => i),
    updateOnValidation: true,
    minBatchForStats: 2,
    rho: 'auto',
  };
}

/**
 * REF's statistics in plain JS (float64), from running norm sums,
 * this update's prediction counts over `samples` predictions and the previous
 * counts. Used by the epoch mode (with `rho`) and by the batch mode on cpu /
 * wasm; on other backends the batch mode computes the same formulas in the
 * graph (./csl.ts). `minBatchForStats > 1` clamps H at 0.
 */
export function cslStatistics(args: {
  normSum: ArrayLike<number>;
  normCount: ArrayLike<number>;
  counts: ArrayLike<number>;
  samples: number;
  prevCounts: ArrayLike<number> | null;
  k: number;
  targetClasses: number[];
  rho?: number;
  clampEntropy?: boolean;
}): CslStatistics {
  const C = args.counts.length;
  const rho = args.rho ?? 1;
  const S = Array.from({length: C}, (_, i) => (args.normCount[i] > 0 ? (args.normSum[i] / args.normCount[i]) ** 2 : 0));
  const N = Array.from(args.counts, Number);
  const logTerm = -Math.log(1 / args.samples + CSL_EPSILON);
  const H = N.map(n => {
    const h = n > 0 ? (n / args.samples) * logTerm : 0;
    return args.clampEntropy ? Math.max(h, 0) : h;
  });
  const sMax = Math.max(...S) + CSL_EPSILON;
  const gamma = S.map((s, i) => s / (CSL_EPSILON + sMax * H[i]));
  const targets = new Set(args.targetClasses);
  const prev = args.prevCounts;
  const r = N.map((n, i) => (prev !== null && targets.has(i) ? -args.k * Math.sign(n - prev[i]) || 0 : 0));
  // N_i = 0: a_i = r_i² directly, so 0·γ_i (γ_i = S_i·1e6 or Inf) never makes a NaN.
  const a = N.map((n, i) => (n > 0 ? (gamma[i] * n * rho + r[i]) ** 2 : r[i] ** 2));
  return {S, N, H, gamma, r, a};
}

/**
 * The state of one CSL loss. Created by `losses.csl` (reachable as `loss.state`);
 * owned by `callbacks.CSL` during `fit`. Call `dispose()` when the loss is no
 * longer needed (it holds 7 variables of shape [C]).
 *
 * Reset rules: the factory creates it fresh (a = 0, empty storage, no N^prev);
 * REF never resets it, so storage and N^prev carry over across epochs and across
 * `fit` calls (callbacks.CSL's default `reset: 'never'`); `reset()` (or the
 * callback's `reset: 'trainBegin'`) empties everything.
 */
export class CslState {
  /** Number of classes C. */
  readonly numClasses: number;
  /** Phase of every call while no phase source is attached (outside a fit with `callbacks.CSL`); see {@link CslPhase}. */
  phase: CslPhase = 'train';
  /** Training calls the attached phase source reported since it was attached. */
  managedTrainCalls = 0;
  /**
   * Where batch mode computes each call's statistics: `'host'` in JS from the
   * batch read back once, `'graph'` in tf ops without reading anything back,
   * `'auto'` (default) host on cpu / wasm, graph elsewhere. Same values either
   * way (float64 vs float32 rounding); exposed to test both paths.
   */
  statisticsOn: CslStatisticsPlace = 'auto';
  private source: CslPhaseSource | null = null;

  /** Running Σ ||z_n|| per true class, [C]. */
  get normSum(): tf.Variable {
    return this.variable('normSum');
  }
  /** Running sample count per true class, [C]. */
  get normCount(): tf.Variable {
    return this.variable('normCount');
  }
  /** N of the last update (N^prev), [C]. */
  get prevCounts(): tf.Variable {
    return this.variable('prevCounts');
  }
  /** Coefficients a_i read by L_csl, [C]. */
  get a(): tf.Variable {
    return this.variable('a');
  }
  /** r of the last update, [C] (S, N, H and γ are derived from the other variables in `snapshot`). */
  get r(): tf.Variable {
    return this.variable('r');
  }
  /** Epoch mode: argmax counts of this epoch's training calls, [C]. */
  get trainCounts(): tf.Variable {
    return this.variable('trainCounts');
  }
  /** Epoch mode: argmax counts of this epoch's validation calls, [C]. */
  get valCounts(): tf.Variable {
    return this.variable('valCounts');
  }

  /** Epoch mode: samples counted this epoch (shapes are static: no sync needed). */
  trainSamples = 0;
  /** Epoch mode: validation samples counted this epoch. */
  valSamples = 0;
  /** Epoch mode: the largest training batch of this epoch (B in ρ = B/V). */
  maxTrainBatch = 0;
  /** Predictions counted by the last update (B of the last batch-mode call, V in epoch mode): H's denominator. */
  lastSamples = 0;
  /** True once an update has set N^prev. */
  hasPrev = false;
  /** Number of updates (batch-mode calls or epoch-mode epochs) since the last reset. */
  updates = 0;

  private current: CslSettings;
  private readonly vars: Record<CslVariableName, tf.Variable>;
  /**
   * Batch mode on the host: float32 copies of the variables the update writes,
   * ahead of the variables while `hostAhead`. They hold exactly what the
   * variables would, so when they are written back (before anything reads a
   * variable) is invisible in the results; each step then costs no tensor writes.
   */
  private host: HostCopy | null = null;
  private hostAhead = false;

  constructor(numClasses: number, settings: CslSettings) {
    this.numClasses = numClasses;
    this.current = {...settings, targetClasses: settings.targetClasses.slice()};
    // tidy frees the zeros each variable is made from (a variable keeps its own copy).
    const make = (name: string) => tf.tidy(() => tf.variable(tf.zeros([numClasses]), false, `csl_${name}_${nextId()}`));
    this.vars = {
      normSum: make('normSum'), normCount: make('normCount'), prevCounts: make('prevCounts'), a: make('a'), r: make('r'),
      trainCounts: make('trainCounts'), valCounts: make('valCounts'),
    };
  }

  /** The variable `name`, after writing back any host copy that is ahead of it. */
  private variable(name: CslVariableName): tf.Variable {
    this.syncHost();
    return this.vars[name];
  }

  /**
   * Batch mode on the host: float32 copies of normSum, normCount, prevCounts, a
   * and r to update in place (read from the variables on first use). Call
   * `hostUpdated()` after writing them.
   */
  hostCopy(): HostCopy {
    if (this.host === null) {
      const read = (name: HostVariableName) => Float32Array.from(this.vars[name].dataSync());
      this.host = {normSum: read('normSum'), normCount: read('normCount'), prevCounts: read('prevCounts'), a: read('a'), r: read('r')};
    }
    return this.host;
  }

  /** The host copy now holds the latest values (the variables get them before anything reads them). */
  hostUpdated(): void {
    this.hostAhead = true;
  }

  /** Writes a host copy that is ahead back into the variables and drops it (the next host update reads them again). */
  private syncHost(): void {
    const host = this.host;
    if (host === null) return;
    this.host = null;
    if (!this.hostAhead) return;
    this.hostAhead = false;
    tf.tidy(() => HOST_VARIABLES.forEach(name => this.vars[name].assign(tf.tensor1d(host[name])))); // host is dropped: never written again
  }

  /** True while a phase source (`callbacks.CSL` during a fit) decides what each call is. */
  get managed(): boolean {
    return this.source !== null;
  }

  /** Lets `source` decide the phase of each call (until `detach`). */
  attach(source: CslPhaseSource): void {
    this.source = source;
    this.managedTrainCalls = 0;
  }

  /** Back to unmanaged: every call uses `phase`, reset to `'train'` (REF: every call updates). */
  detach(): void {
    this.source = null;
    this.phase = 'train';
  }

  /** The phase of the call being made now (asks the phase source once per call). */
  callPhase(): CslPhase {
    if (this.source === null) return this.phase;
    const phase = this.source.classify(this);
    if (phase === 'train') this.managedTrainCalls += 1;
    return phase;
  }

  /** The current settings (a copy). */
  get settings(): CslSettings {
    return {...this.current, targetClasses: this.current.targetClasses.slice()};
  }

  /** Validates and applies new settings (used by `callbacks.CSL` for its overrides). */
  configure(input: CslSettingsInput): void {
    this.current = normalizeCslSettings(this.numClasses, input, this.current);
    this.reinforcement?.dispose(); // k or T may have changed
    this.reinforcement = null;
  }

  /** 1 for target classes, 0 elsewhere. */
  targetMask(): number[] {
    const mask = new Array<number>(this.numClasses).fill(0);
    this.current.targetClasses.forEach(c => {
      mask[c] = 1;
    });
    return mask;
  }

  private reinforcement: tf.Tensor1D | null = null;

  /** The row -k·1[i ∈ T] the reinforcement term multiplies sign(N - N^prev) by; built once per settings, kept. */
  reinforcementRow(): tf.Tensor1D {
    if (this.reinforcement === null || this.reinforcement.isDisposed) {
      const k = this.current.k;
      this.reinforcement = tf.keep(tf.tensor1d(this.targetMask().map(m => -k * m)));
    }
    return this.reinforcement;
  }

  /** Sets a (e.g. to study L_csl with frozen coefficients). Outside training steps. */
  setCoefficients(a: number[]): void {
    if (!Array.isArray(a) || a.length !== this.numClasses || !a.every(v => Number.isFinite(v) && v >= 0)) {
      throw new ImbalancedInputError('a', `${this.numClasses} finite numbers >= 0`, a);
    }
    tf.tidy(() => this.a.assign(tf.tensor1d(a)));
  }

  /** Empties the epoch accumulators (epoch mode); called at `onEpochBegin` and after `endEpoch`. */
  resetEpoch(): void {
    tf.tidy(() => {
      this.trainCounts.assign(tf.zeros([this.numClasses]));
      this.valCounts.assign(tf.zeros([this.numClasses]));
    });
    this.trainSamples = 0;
    this.valSamples = 0;
    this.maxTrainBatch = 0;
  }

  /** Back to the fresh state: empty storage, no N^prev, a = 0, no logged statistics. */
  reset(): void {
    this.host = null;
    this.hostAhead = false;
    tf.tidy(() => Object.values(this.vars).forEach(v => v.assign(tf.zeros([this.numClasses]))));
    this.trainSamples = 0;
    this.valSamples = 0;
    this.maxTrainBatch = 0;
    this.lastSamples = 0;
    this.hasPrev = false;
    this.updates = 0;
  }

  /**
   * Epoch mode, after the epoch's validation: N = the epoch's
   * validation argmax counts over V samples (the training counts when no
   * validation call happened), S from the cumulative storage, H with B := V,
   * γ, r from N^(t) vs N^(t-1), then a_i ← (γ_i N_i ρ + r_i)². Returns the
   * statistics, or null (a unchanged) when fewer than `minBatchForStats` samples
   * were counted. Empties the epoch accumulators. Reads variables: call it
   * outside a training step.
   */
  endEpoch(): (CslStatistics & {
    /** V, the predictions counted this epoch. */
    samples: number;
    /** The count scale ρ used for a. */
    rho: number;
  }) | null {
    const useVal = this.valSamples > 0;
    const V = useVal ? this.valSamples : this.trainSamples;
    const counts = Array.from((useVal ? this.valCounts : this.trainCounts).dataSync());
    const batch = this.maxTrainBatch > 0 ? this.maxTrainBatch : V;
    this.resetEpoch();
    const cfg = this.current;
    if (V < cfg.minBatchForStats || V === 0) return null;
    const rho = cfg.rho === 'auto' ? batch / V : cfg.rho;
    const stats = cslStatistics({
      normSum: Array.from(this.normSum.dataSync()),
      normCount: Array.from(this.normCount.dataSync()),
      counts,
      samples: V,
      prevCounts: this.hasPrev ? Array.from(this.prevCounts.dataSync()) : null,
      k: cfg.k,
      targetClasses: cfg.targetClasses,
      rho,
      clampEntropy: cfg.minBatchForStats > 1,
    });
    tf.tidy(() => {
      this.a.assign(tf.tensor1d(stats.a));
      this.r.assign(tf.tensor1d(stats.r));
      this.prevCounts.assign(tf.tensor1d(stats.N));
    });
    this.lastSamples = V;
    this.hasPrev = true;
    this.updates += 1;
    return {...stats, samples: V, rho};
  }

  /**
   * The state as plain arrays. S, N, H and γ of the last update are derived here
   * (float64) from the norm sums, the last counts (N^prev) and `lastSamples`,
   * rather than stored every step. Reads with dataSync: call it outside a training step.
   */
  snapshot(): CslSnapshot {
    const read = (v: tf.Variable) => Array.from(v.dataSync());
    const normSum = read(this.normSum);
    const normCount = read(this.normCount);
    const counts = read(this.prevCounts);
    const derived = cslStatistics({
      normSum, normCount, counts, samples: this.lastSamples, prevCounts: null, k: 0, targetClasses: [],
      clampEntropy: this.current.minBatchForStats > 1,
    });
    return {
      mode: this.current.mode,
      S: derived.S,
      N: counts,
      H: derived.H,
      gamma: derived.gamma,
      r: read(this.r),
      a: read(this.a),
      normSum,
      normCount,
      prevCounts: this.hasPrev ? counts : null,
      updates: this.updates,
    };
  }

  /** Frees the variables. The loss cannot be called afterwards. */
  dispose(): void {
    this.reinforcement?.dispose();
    this.reinforcement = null;
    this.host = null;
    this.hostAhead = false;
    Object.values(this.vars).forEach(v => {
      if (!v.isDisposed) v.dispose();
    });
  }

  /** True once `dispose()` ran. */
  get isDisposed(): boolean {
    return Object.values(this.vars).some(v => v.isDisposed);
  }
}

let idCounter = 0;
/** Variable names must be unique in a tfjs engine. */
function nextId(): number {
  idCounter += 1;
  return idCounter;
}
