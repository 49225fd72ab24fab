/**
 * Early stopping that also keeps the best epoch's weights. tfjs'
 * `tf.callbacks.earlyStopping` stops but cannot restore the best weights
 * (its `restoreBestWeights` is not implemented in tfjs 4.22), so methods would
 * be compared at the epoch training stopped, `patience` epochs after their
 * best. This callback keeps a copy of the weights whenever `monitor` improves,
 * puts them back when training ends, and can evaluate the best-so-far model at
 * given epochs (several training budgets from one run). It also stops training
 * when the loss stops being finite and says so (`diverged`).
 *
 * Put it after `callbacks.ExactMetrics` when monitoring an exact metric
 * (`val_gmean`): tfjs calls callbacks in order.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Callback} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {Logs, resolveLogs} from '../callbacks/logs';

/** Options of {@link BestEpoch}. */
export interface BestEpochOptions {
  /** Log key to monitor (e.g. `'val_gmean'`, `'val_loss'`); null: keep the last epoch, never stop early. */
  monitor: string | null;
  /** `'max'` or `'min'` is better. Default `'min'` for keys naming a loss, ECE, MCE, Brier or cost, else `'max'`. */
  mode?: 'max' | 'min';
  /** Epochs without improvement before stopping (>= 1, or Infinity). Default Infinity. */
  patience?: number;
  /** Epochs (1-based) at whose end `onCheckpoint` runs with the best-so-far weights in place. */
  checkpoints?: number[];
  /** Runs at each checkpoint epoch, given that epoch and the best epoch so far (1-based). */
  onCheckpoint?: (epoch: number, bestEpoch: number) => Promise<void>;
}

/** `'min'` for losses and calibration / cost errors, `'max'` otherwise. */
export function monitorMode(key: string): 'max' | 'min' {
  return /loss|ece|mce|brier|cost/i.test(key) ? 'min' : 'max';
}

/** Early stopping on any log key that restores the best epoch's weights at the end of training. */
export class BestEpoch extends Callback {
  /** Best epoch so far, 1-based (0 before the first epoch ends). */
  bestEpoch = 0;
  /** Best monitored value so far (NaN before). */
  bestValue = NaN;
  /** Epochs finished. */
  epochsRun = 0;
  /** Set when training stopped because the loss was not finite. */
  diverged: string | null = null;
  private readonly monitor: string | null;
  private readonly mode: 'max' | 'min';
  private readonly patience: number;
  private readonly checkpoints: Set<number>;
  private readonly onCheckpoint?: BestEpochOptions['onCheckpoint'];
  private best: tf.Tensor[] | null = null;
  private wait = 0;

  constructor(options: BestEpochOptions) {
    super();
    if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', '{monitor, mode?, patience?}', options);
    checkKeys('new BestEpoch()', options, ['monitor', 'mode', 'patience', 'checkpoints', 'onCheckpoint']);
    if (options.monitor !== null && (typeof options.monitor !== 'string' || options.monitor === '')) {
      throw new ImbalancedInputError('monitor', 'a log key such as "val_gmean", or null', options.monitor);
    }
    this.monitor = options.monitor;
    this.mode = checkOneOf('mode', options.mode ?? monitorMode(options.monitor ?? 'loss'), ['max', 'min'] as const);
    const patience = options.patience ?? Infinity;
    this.patience = patience === Infinity ? Infinity : checkNumber('patience', patience, {min: 1, integer: true});
    this.checkpoints = new Set(options.checkpoints ?? []);
    this.onCheckpoint = options.onCheckpoint;
  }

  /** Called by tfjs when training begins: resets the best epoch, value and kept weights, so one instance serves several `fit` calls. */
  override async onTrainBegin(): Promise<void> {
    this.dispose();
    this.bestEpoch = 0;
    this.bestValue = NaN;
    this.epochsRun = 0;
    this.diverged = null;
    this.wait = 0;
  }

  /**
   * Called by tfjs at the end of each epoch, after validation: keeps a copy of
   * the weights when `monitor` improved, stops training after `patience`
   * epochs without improvement or when the loss is not finite (`diverged`),
   * and runs `onCheckpoint` at a checkpoint epoch. Throws ImbalancedInputError
   * when the logs lack the `monitor` key.
   */
  override async onEpochEnd(epoch: number, rawLogs?: Logs): Promise<void> {
    const logs = await resolveLogs(rawLogs);
    this.epochsRun = epoch + 1;
    const loss = logs.loss;
    if (typeof loss === 'number' && !Number.isFinite(loss)) {
      this.diverged = `the training loss became ${loss} in epoch ${epoch + 1}`;
      this.model.stopTraining = true;
      return;
    }
    if (this.monitor === null) {
      this.bestEpoch = epoch + 1;
    } else {
      const value = logs[this.monitor];
      if (typeof value !== 'number') {
        throw new ImbalancedInputError('monitor', `a key of the epoch logs (${Object.keys(logs).join(', ')})`, this.monitor);
      }
      const improved = this.bestEpoch === 0 || (Number.isFinite(value) &&
        (!Number.isFinite(this.bestValue) || (this.mode === 'max' ? value > this.bestValue : value < this.bestValue)));
      if (improved) {
        this.keepWeights();
        this.bestEpoch = epoch + 1;
        this.bestValue = value;
        this.wait = 0;
      } else if (++this.wait >= this.patience) {
        this.model.stopTraining = true;
      }
    }
    if (this.onCheckpoint && this.checkpoints.has(epoch + 1)) await this.atCheckpoint(epoch + 1);
  }

  /** Called by tfjs when training ends: puts the best epoch's weights back (unless the last epoch was the best) and frees the copy. */
  override async onTrainEnd(): Promise<void> {
    if (this.best !== null && this.bestEpoch !== this.epochsRun) this.model.setWeights(this.best);
    this.dispose();
  }

  /** Frees the kept weights (also done at the end of training). */
  dispose(): void {
    if (this.best !== null) tf.dispose(this.best);
    this.best = null;
  }

  private keepWeights(): void {
    this.dispose();
    this.best = this.model.getWeights().map(w => tf.keep(tf.clone(w)));
  }

  /** Runs the checkpoint hook with the best weights in place, then puts the current ones back. */
  private async atCheckpoint(epoch: number): Promise<void> {
    const swap = this.best !== null && this.bestEpoch !== epoch;
    const current = swap ? this.model.getWeights().map(w => tf.keep(tf.clone(w))) : null;
    try {
      if (swap) this.model.setWeights(this.best!);
      await this.onCheckpoint!(epoch, this.bestEpoch);
    } finally {
      if (current !== null) {
        this.model.setWeights(current);
        tf.dispose(current);
      }
    }
  }
}
