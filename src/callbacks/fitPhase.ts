/**
 * The fit phase, tracked in one place for every callback of this package
 * (ExactMetrics, CSL, CRCENExpense, ProgressBar).
 *
 * tfjs calls `model.lossFunctions[i](yTrue, yPred)` for every training step and
 * every validation batch, and the callbacks of a fit one after the other, in
 * the order they are listed. A {@link FitSession} (one per model being fitted)
 * turns the callback events into the phase of each loss call:
 *  - after `onBatchBegin`, the first call per key (an output index, or a CSL
 *    state) is the training step; later calls in that batch are validation
 *    (`fit` validates inside the last batch, before `onBatchEnd`);
 *  - after `onBatchEnd`, calls are validation (`fitDataset` validates after the
 *    last `onBatchEnd`, before `onEpochEnd`);
 *  - from `onEpochBegin` / `onEpochEnd` to the next `onBatchBegin`, calls are
 *    neither (`'off'`: e.g. another callback's `evaluate`).
 *
 * Every callback of ours forwards each event to the session, which runs it once
 * for all of them, in a fixed order (ExactMetrics, CSL, CRCENExpense, then the
 * rest): the first of our callbacks to see `onEpochEnd` writes every key of
 * ours into the logs, so the callbacks listed after it read the same values
 * whatever the order.
 *
 * Any order, and a clean model after a throw: the first time one of our
 * callbacks is built, `LayersModel.prototype.fit` / `fitDataset` are wrapped.
 * A fit whose callbacks include one of ours runs with a hub callback in front
 * of the list (so even `tf.callbacks.earlyStopping` listed first reads our
 * keys) and closes the session in a `finally`: when the fit throws, tfjs skips
 * `onTrainEnd`, and the session still puts the compiled losses back and
 * detaches our losses, leaving the model as it found it. Fits without our
 * callbacks go straight to tfjs.
 *
 * Taps: a callback that needs each loss call's `(yTrue, yPred)` (ExactMetrics)
 * asks the session to tap an output; the session replaces that output's
 * compiled loss by a wrapper (one per output, shared) for the length of the fit.
 * Lookups of the compiled loss see through it (`unwrapLoss`), and the wrapper
 * records which losses of this package each call reaches, through any other
 * wrapper (`observeLossCalls`).
 */
import * as tf from '@tensorflow/tfjs-core';
import {Callback, LayersModel} from '@tensorflow/tfjs-layers';
import {LossFunction, observeLossCalls} from '../losses/common';
import {Logs} from './logs';
import {LossFn, compiledModel, registerLossWrapper} from './modelInternals';

/** What a loss call is: a training step, a validation batch, or neither. */
export type CallPhase = 'train' | 'validation' | 'off';

/** Receives every call of a tapped output's loss, with its phase. */
export type TapListener = (phase: CallPhase, yTrue: tf.Tensor, yPred: tf.Tensor) => void;

/** What a callback does at the events of a fit; the session runs each once per event. */
export interface PhaseWork {
  /** Lower runs first (and writes its epoch-end keys first). */
  order: number;
  epochBegin?(epoch: number): void;
  batchEnd?(batch: number): Promise<void>;
  epochEnd?(epoch: number, logs: Logs): Promise<void>;
  /** The fit ended, normally or not: undo what the callback set up for it (errors are ignored). */
  close?(): void;
}

/** Canonical order of epoch-end work. */
export const PHASE_ORDER = {exactMetrics: 0, csl: 1, crcenExpense: 2, display: 10} as const;

type Stage = 'idle' | 'batch' | 'afterBatch';

interface Tap {
  original: LossFn;
  wrapper: LossFn;
  listeners: Set<TapListener>;
  /** Losses of this package the compiled loss reached (through any wrapper). */
  reached: Set<LossFunction>;
}

/** The phase of one fit of one model; see the module comment. */
export class FitSession {
  /** The model that owns the compiled losses (a Sequential's inner model). */
  readonly model: LayersModel;
  private readonly history: unknown;
  private stage: Stage = 'idle';
  private epoch = -1;
  /** Keys that made their training call in the current batch. */
  private readonly trained = new Set<unknown>();
  private readonly works = new Map<object, PhaseWork>();
  private readonly taps = new Map<number, Tap>();
  private lastEvent = '';
  private open = true;

  constructor(model: LayersModel) {
    this.model = model;
    this.history = (model as {history?: unknown}).history;
  }

  /** True while the session belongs to the fit in progress (tfjs sets a new `model.history` per fit). */
  get isCurrent(): boolean {
    return this.open && (this.model as {history?: unknown}).history === this.history;
  }

  /** True while the model is inside `fit` / `fitDataset` (false for callbacks driven by hand). */
  get inFit(): boolean {
    return (this.model as unknown as {isTraining?: boolean}).isTraining === true;
  }

  /** True once `owner` has joined. */
  has(owner: object): boolean {
    return this.works.has(owner);
  }

  /** Adds (or replaces) the work of `owner`. */
  join(owner: object, work: PhaseWork): void {
    this.works.set(owner, work);
  }

  /** The phase of a loss call made now by `key`; a key's first call in a batch is its training step. */
  classify(key: unknown): CallPhase {
    if (!this.open) return 'off';
    if (this.stage === 'afterBatch') return 'validation';
    if (this.stage !== 'batch') return 'off';
    if (this.trained.has(key)) return 'validation';
    this.trained.add(key);
    return 'train';
  }

  async epochBegin(epoch: number): Promise<void> {
    if (!this.once(`epochBegin ${epoch}`)) return;
    this.epoch = epoch;
    this.stage = 'idle';
    for (const w of this.ordered()) w.epochBegin?.(epoch);
  }

  batchBegin(batch: number): void {
    if (!this.once(`batchBegin ${this.epoch} ${batch}`)) return;
    this.stage = 'batch';
    this.trained.clear();
  }

  async batchEnd(batch: number): Promise<void> {
    if (!this.once(`batchEnd ${this.epoch} ${batch}`)) return;
    this.stage = 'afterBatch';
    for (const w of this.ordered()) await w.batchEnd?.(batch);
  }

  async epochEnd(epoch: number, logs: Logs | undefined): Promise<void> {
    if (!this.once(`epochEnd ${epoch}`)) return;
    this.stage = 'idle';
    const target = logs ?? {};
    for (const w of this.ordered()) await w.epochEnd?.(epoch, target);
  }

  /**
   * Ends the session: the compiled losses put back, then every callback's
   * `close`. Idempotent, and never throws (it runs in a `finally`, where an
   * error would hide the fit's own): a failing `close` does not stop the others.
   */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.stage = 'idle';
    this.taps.forEach((tap, output) => this.untap(output, tap));
    this.taps.clear();
    for (const w of this.ordered()) {
      try {
        w.close?.();
      } catch {
        // cleanup of one callback; the others still run
      }
    }
    this.works.clear();
    if (SESSIONS.get(this.model) === this) SESSIONS.delete(this.model);
  }

  /**
   * Calls `listener` with every call of output `output`'s loss until the returned
   * function (or `close`) removes it. Installs the output's wrapper on first use.
   */
  tap(output: number, listener: TapListener = () => undefined): () => void {
    const tap = this.taps.get(output) ?? this.install(output);
    tap.listeners.add(listener);
    return () => tap.listeners.delete(listener);
  }

  /** Losses of this package that output `output`'s compiled loss reached so far (it must be tapped). */
  reached(output: number): LossFunction[] {
    return Array.from(this.taps.get(output)?.reached ?? []);
  }

  private install(output: number): Tap {
    const losses = this.model.lossFunctions as LossFn[];
    const original = losses[output];
    const tap: Tap = {original, wrapper: original, listeners: new Set(), reached: new Set()};
    tap.wrapper = (yTrue, yPred) => {
      if (!this.open) return original(yTrue, yPred); // a foreign wrapper kept ours alive: pass through
      const phase = this.classify(output);
      const out = observeLossCalls(loss => tap.reached.add(loss), () => original(yTrue, yPred));
      tap.listeners.forEach(listener => listener(phase, yTrue, yPred));
      return out;
    };
    Object.defineProperty(tap.wrapper, 'name', {value: original.name});
    registerLossWrapper(tap.wrapper, original);
    losses[output] = tap.wrapper;
    this.taps.set(output, tap);
    return tap;
  }

  private untap(output: number, tap: Tap): void {
    const losses = this.model.lossFunctions as LossFn[] | undefined;
    // Put the original back unless something wrapped ours meanwhile (then ours passes through).
    if (losses && losses[output] === tap.wrapper) losses[output] = tap.original;
  }

  private ordered(): PhaseWork[] {
    return Array.from(this.works.values()).sort((a, b) => a.order - b.order);
  }

  /** False if `event` was already run (several of our callbacks forward the same event). */
  private once(event: string): boolean {
    if (!this.open || event === this.lastEvent) return false;
    this.lastEvent = event;
    return true;
  }
}

/** The session of each model being fitted (keyed by the model that owns the losses). */
const SESSIONS = new WeakMap<LayersModel, FitSession>();

/**
 * The session of the fit of `model` in progress, created (and a stale one,
 * left by a fit that threw, closed) if needed. A second `join` of the same
 * owner means a new fit driven by hand: it starts a new session.
 */
export function sessionFor(model: LayersModel, owner?: object): FitSession {
  const m = compiledModel(model);
  const current = SESSIONS.get(m);
  if (current && current.isCurrent && !(owner && current.has(owner))) return current;
  current?.close();
  const session = new FitSession(m);
  SESSIONS.set(m, session);
  return session;
}

/** Forwards every epoch and batch event of a fit to its session (which runs each once). */
abstract class SessionCallback extends Callback {
  /** The session of the fit in progress, from `onTrainBegin` on. */
  protected session: FitSession | null = null;

  /** Called by tfjs at the start of each epoch. */
  override async onEpochBegin(epoch: number): Promise<void> {
    await this.session?.epochBegin(epoch);
  }

  /** Called by tfjs before each training batch. */
  override async onBatchBegin(batch: number): Promise<void> {
    this.session?.batchBegin(batch);
  }

  /** Called by tfjs after each training batch. */
  override async onBatchEnd(batch: number): Promise<void> {
    await this.session?.batchEnd(batch);
  }

  /** Called by tfjs at the end of each epoch, after validation; our callbacks' keys go into `logs`. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await this.session?.epochEnd(epoch, logs);
  }
}

/**
 * Base of our callbacks: joins the model's fit session in `onTrainBegin` and
 * forwards every event to it. Subclasses implement `begin` (checks and set-up;
 * throwing aborts the fit with the model left as it was) and return the work
 * to run at each event.
 */
export abstract class PhaseCallback extends SessionCallback {
  constructor() {
    super();
    hookFit();
  }

  /** Set-up for a fit of `session.model`; returns the work to run at each event. */
  protected abstract begin(session: FitSession): Promise<PhaseWork>;

  /** Called by tfjs when `fit` / `fitDataset` starts. */
  override async onTrainBegin(): Promise<void> {
    const session = sessionFor(this.model, this);
    this.session = session;
    try {
      session.join(this, await this.begin(session));
    } catch (err) {
      session.close();
      throw err;
    }
  }

  /** Called by tfjs when training ends. */
  override async onTrainEnd(): Promise<void> {
    this.session?.close();
    this.session = null;
  }
}

/** Put first in the callbacks of a fit that uses ours: opens the session and forwards every event first. */
class FitHub extends SessionCallback {
  /** Called by tfjs when `fit` / `fitDataset` starts. */
  override async onTrainBegin(): Promise<void> {
    this.session = sessionFor(this.model, this);
  }

  /** Closes the session (in the `finally` of the wrapped fit, also when it threw). */
  close(): void {
    this.session?.close();
  }
}

let hooked = false;

/** Wraps `LayersModel.prototype.fit` / `fitDataset` once (see the module comment). */
function hookFit(): void {
  if (hooked) return;
  hooked = true;
  const proto = LayersModel.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrap = (method: 'fit' | 'fitDataset', argsAt: number): void => {
    const original = proto[method];
    proto[method] = async function (this: LayersModel, ...args: unknown[]): Promise<unknown> {
      const fitArgs = args[argsAt] as {callbacks?: unknown} | undefined;
      const given = fitArgs?.callbacks;
      const list: unknown[] = given == null ? [] : Array.isArray(given) ? given : [given];
      // tfjs takes either callback objects or plain {onEpochEnd, ...} configs: only touch the former.
      if (!list.some(c => c instanceof PhaseCallback) || !list.every(isCallbackObject)) return original.apply(this, args);
      const hub = new FitHub();
      const withHub = args.slice();
      withHub[argsAt] = {...fitArgs, callbacks: [hub, ...list]};
      try {
        return await original.apply(this, withHub);
      } finally {
        hub.close();
      }
    };
  };
  wrap('fit', 2);
  wrap('fitDataset', 1);
}

function isCallbackObject(c: unknown): boolean {
  return typeof c === 'object' && c !== null && typeof (c as {setParams?: unknown}).setParams === 'function';
}
