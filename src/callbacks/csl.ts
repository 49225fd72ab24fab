/**
 * `callbacks.CSL`: drives the state of a CSL loss (src/losses/csl.ts) during
 * `fit` / `fitDataset`, for "Long Tail Classification Through Cost-Sensitive Loss
 * Functions" (anonymous ICLR submission).
 *
 * Phases. tfjs calls the loss for every training step and every validation
 * batch. The fit's session (./fitPhase.ts) tells them apart for the loss: the
 * first call after `onBatchBegin` is the training step, later calls until the
 * next batch are validation (`fit` validates inside the last batch, before
 * `onBatchEnd`; `fitDataset` after it), and calls between `onEpochEnd` and the
 * next batch change nothing (e.g. another callback's `evaluate`). After the fit
 * (also one that threw) the loss is unmanaged again and, as in the authors'
 * code, every call updates it.
 *
 * - `mode: 'batch'` (the authors' code): each training call, and each validation
 *   call when `updateOnValidation` (default, as theirs), recomputes S, N, H, γ, r, a
 *   from its batch; the epoch logs show the state after the epoch's last update.
 * - `mode: 'epoch'` (the paper's narrative): training calls add their output
 *   norms to the storage; validation calls (or, with no validation, training
 *   calls) count argmax predictions; `onEpochEnd` computes S, H (B := V), γ,
 *   r (N^(t) vs N^(t−1)) and a_i ← (γ_i N_i ρ + r_i)², used by the next epoch.
 *
 * Logs: `csl_S_i`, `csl_N_i`, `csl_H_i`, `csl_gamma_i` (clipped to ±1e6), `csl_r_i`,
 * `csl_a_i` per class i are written into the epoch logs (they reach
 * `history.history`); `history` keeps the raw per-epoch snapshots for plotting.
 * Callback order does not matter (see ./fitPhase.ts).
 */
import {ImbalancedInputError, describeValue} from '../errors';
import {checkBoolean, checkKeys, checkOneOf} from '../core/validate';
import {CslLossFunction, isCslLoss} from '../losses/csl';
import {CSL_GAMMA_LOG_LIMIT, CslMode, CslState, CslStatistics} from '../losses/cslState';
import {FitSession, PHASE_ORDER, PhaseCallback, PhaseWork} from './fitPhase';
import {Logs} from './logs';
import {compiledLosses, compiledModel, unwrapLoss} from './modelInternals';

/** Options of {@link CSL}. Unset loss settings keep the values the loss was built with. */
export interface CslCallbackOptions {
  /** Overrides the loss's `mode`: `'batch'` (REF, per call) or `'epoch'` (per epoch). */
  mode?: CslMode;
  /** Overrides the loss's `updateOnValidation` (batch mode; REF: true). */
  updateOnValidation?: boolean;
  /** Overrides the loss's reinforcement size k >= 0. */
  k?: number;
  /** Overrides the loss's target classes T (indices in [0, C−1]). */
  targetClasses?: number[];
  /** Overrides the loss's epoch-mode count scale ρ (`'auto'` = B/V, or a number > 0). */
  rho?: 'auto' | number;
  /** Write `csl_*` keys into the epoch logs (and so into `history.history`). Default true. */
  log?: boolean;
  /**
   * `'never'` (default, REF): storage, N^prev and a carry over across `fit` calls,
   * so repeated `fit({epochs: 1})` calls behave like one long `fit`. `'trainBegin'`:
   * `onTrainBegin` empties the state (a ← 0) and this callback's `history`.
   */
  reset?: 'never' | 'trainBegin';
}

/** One epoch's statistics as kept in {@link CSL.history} (raw γ, not clipped). */
export interface CslHistoryEntry extends CslStatistics {
  /** The epoch index tfjs passed to `onEpochEnd`. */
  epoch: number;
  /** The mode the statistics were computed in. */
  mode: CslMode;
  /** State updates so far (loss calls in batch mode, epochs in epoch mode). */
  updates: number;
  /** Epoch mode: V, the number of predictions counted this epoch (0 when the update was skipped). */
  samples?: number;
  /** Epoch mode: the ρ used. */
  rho?: number;
}

/** Describes a non-CSL argument without dumping a function's source into the message. */
function describeLoss(value: unknown): unknown {
  if (typeof value === 'function') return `${describeValue(value)} without a CSL state`;
  return value;
}

/**
 * Owns the state of a CSL loss during training: phases, the epoch-wise
 * update (epoch mode), logs and a history. Usage:
 * ```ts
 * const loss = imb.losses.csl({numClasses: 10, fromLogits: true});
 * model.compile({optimizer: 'adam', loss});
 * await model.fit(xs, ys, {validationData, callbacks: [new imb.callbacks.CSL(loss)]});
 * ```
 */
export class CSL extends PhaseCallback {
  /** The CSL loss this callback drives. */
  readonly loss: CslLossFunction;
  /** Its state (shared with the loss). */
  readonly state: CslState;
  /** Per-epoch snapshots (raw values), for plotting S, γ, r ... over training. */
  readonly history: CslHistoryEntry[] = [];
  private readonly log: boolean;
  private readonly resetRule: 'never' | 'trainBegin';

  constructor(cslLoss: CslLossFunction, options: CslCallbackOptions = {}) {
    super();
    checkKeys('new CSL()', options, ['mode', 'updateOnValidation', 'k', 'targetClasses', 'rho', 'log', 'reset']);
    if (!isCslLoss(cslLoss)) {
      throw new ImbalancedInputError('cslLoss', 'a loss made by losses.csl({numClasses, ...}) (it carries the CSL state)', describeLoss(cslLoss));
    }
    if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object', options);
    this.loss = cslLoss;
    this.state = cslLoss.state;
    if (this.state.isDisposed) throw new ImbalancedInputError('cslLoss', 'a CSL loss whose state is not disposed', 'a disposed state');
    this.log = checkBoolean('log', options.log ?? true);
    this.resetRule = checkOneOf('reset', options.reset ?? 'never', ['never', 'trainBegin'] as const);
    // The rest are loss settings (checkKeys let only those through); unset ones keep the loss's values.
    const {log: _log, reset: _reset, ...overrides} = options;
    this.state.configure(overrides);
  }

  /**
   * Checks the model was compiled with this loss (once, not as a metric), resets
   * if asked and lets the session phase the loss's calls. A loss hidden in a
   * wrapper of someone else's is confirmed by the first training step instead.
   */
  protected async begin(session: FitSession): Promise<PhaseWork> {
    const found = this.checkModel(session);
    if (this.resetRule === 'trainBegin') {
      this.state.reset();
      this.history.length = 0;
    }
    this.state.resetEpoch();
    this.state.attach(session);
    let unconfirmed = !found;
    return {
      order: PHASE_ORDER.csl,
      epochBegin: () => this.state.resetEpoch(),
      batchEnd: async () => {
        if (unconfirmed && this.state.managedTrainCalls === 0) throw this.notCompiledError(session);
        unconfirmed = false;
      },
      epochEnd: async (epoch, logs) => this.endEpoch(epoch, logs),
      close: () => this.state.detach(),
    };
  }

  private async endEpoch(epoch: number, logs: Logs): Promise<void> {
    const epochWise = this.state.settings.mode === 'epoch';
    const stats = epochWise ? this.state.endEpoch() : null; // reads the variables: outside any training step
    const entry: CslHistoryEntry = {epoch, ...pick(this.state.snapshot())};
    if (epochWise) Object.assign(entry, {samples: stats?.samples ?? 0, rho: stats?.rho ?? 0});
    this.history.push(entry);
    if (!this.log) return;
    const C = this.state.numClasses;
    for (let i = 0; i < C; i++) {
      logs[`csl_S_${i}`] = entry.S[i];
      logs[`csl_N_${i}`] = entry.N[i];
      logs[`csl_H_${i}`] = entry.H[i];
      logs[`csl_gamma_${i}`] = Math.max(-CSL_GAMMA_LOG_LIMIT, Math.min(CSL_GAMMA_LOG_LIMIT, entry.gamma[i]));
      logs[`csl_r_${i}`] = entry.r[i];
      logs[`csl_a_${i}`] = entry.a[i];
    }
  }

  /** True if the compiled losses (seen through our wrappers) include this loss; throws on misuse. */
  private checkModel(session: FitSession): boolean {
    const uses = compiledLosses(session.model).filter(fn => fn === this.loss).length;
    if (uses > 1) {
      throw new ImbalancedInputError('cslLoss', 'one CSL loss per output (make one losses.csl(...) for each output)', `the same CSL loss on ${uses} outputs`);
    }
    const metrics = (compiledModel(session.model) as unknown as {metricsTensors?: Array<[unknown, number]>}).metricsTensors ?? [];
    if (metrics.some(([fn]) => unwrapLoss(fn) === this.loss)) {
      throw new ImbalancedInputError('metrics', 'no CSL loss among the metrics (each call would update its state)', 'the CSL loss as a metric');
    }
    // Outside a fit (hand-driven callbacks) nothing would confirm it later.
    if (uses === 0 && !session.inFit) throw this.notCompiledError(session);
    return uses === 1;
  }

  private notCompiledError(session: FitSession): ImbalancedInputError {
    const names = compiledLosses(session.model).map(fn => (typeof fn === 'function' ? fn.name || 'anonymous' : String(fn)));
    return new ImbalancedInputError(
      'cslLoss',
      'the loss the model was compiled with (model.compile({loss: cslLoss}) with this same CSL loss object, or a function calling it)',
      `a model compiled with [${names.join(', ')}] whose training step did not call it`,
    );
  }
}

function pick(s: ReturnType<CslState['snapshot']>): Omit<CslHistoryEntry, 'epoch'> {
  return {mode: s.mode, S: s.S, N: s.N, H: s.H, gamma: s.gamma, r: s.r, a: s.a, updates: s.updates};
}
