/**
 * A terminal progress bar for training in Node: epoch, batch, ETA and the
 * latest logs on one line, redrawn at most every `refreshMs`. It prints
 * nothing when the stream is not a TTY (CI logs, pipes) unless `force` is set.
 * Written here rather than pulled from a package so the library keeps zero
 * runtime dependencies besides tfjs (and stays bundle-friendly for browsers).
 */
import {Callback} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';
import {Logs, resolveLogs} from './logs';

/** Where the bar is written: anything with `write` (and `isTTY` / `columns` if a terminal). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Output stream. Default `process.stdout`. */
  stream?: ProgressStream;
  /** Width of the bar in characters. Default 30. */
  width?: number;
  /** Minimum time between redraws in ms. Default 100. */
  refreshMs?: number;
  /** Draw even when the stream is not a TTY. Default false (quiet). */
  force?: boolean;
  /** Log keys to show; default all numeric keys of the logs. */
  keys?: string[];
}

/** Formats seconds as `1m05s` / `4.2s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  // Below 59.95 s, toFixed(1) stays below "60.0".
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  // Round once, then split: rounding the seconds part alone turns 119.6 into "1m60s".
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}

/** One redrawn line per epoch: `Epoch 2/10 [=====>    ] 12/20 ETA 3.1s  loss 0.4127  acc 0.8750`. */
export class ProgressBar extends Callback {
  private readonly stream: ProgressStream | null;
  private readonly width: number;
  private readonly refreshMs: number;
  private readonly keys?: string[];
  private epochs = 0;
  private stepsPerEpoch: number | null = null;
  private epoch = 0;
  private epochStart = 0;
  private lastDraw = 0;

  constructor(options: ProgressBarOptions = {}) {
    super();
    checkKeys('new ProgressBar()', options, ['stream', 'width', 'refreshMs', 'force', 'keys']);
    const stream = options.stream ?? (typeof process !== 'undefined' ? process.stdout : undefined);
    this.width = checkNumber('width', options.width ?? 30, {min: 5, integer: true});
    this.refreshMs = checkNumber('refreshMs', options.refreshMs ?? 100, {min: 0});
    if (options.keys !== undefined && !(Array.isArray(options.keys) && options.keys.every(k => typeof k === 'string'))) {
      throw new ImbalancedInputError('keys', 'an array of log keys (strings)', options.keys);
    }
    this.keys = options.keys;
    const force = options.force ?? false;
    if (typeof force !== 'boolean') throw new ImbalancedInputError('force', 'a boolean', force);
    this.stream = stream && (stream.isTTY || force) ? stream : null;
  }

  override async onTrainBegin(): Promise<void> {
    const p = this.params as {epochs?: number; steps?: number | null; samples?: number | null; batchSize?: number};
    this.epochs = p.epochs ?? 0;
    this.stepsPerEpoch = p.steps ?? (p.samples != null && p.batchSize ? Math.ceil(p.samples / p.batchSize) : null);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.epochStart = Date.now();
    this.lastDraw = 0;
  }

  private lastBatch = 0;

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    this.lastBatch = batch + 1;
    const now = Date.now();
    if (now - this.lastDraw < this.refreshMs) return;
    this.lastDraw = now;
    if (this.stream) this.draw(batch + 1, await resolveLogs(logs), false);
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (this.stream) this.draw(this.stepsPerEpoch ?? this.lastBatch, await resolveLogs(logs), true);
  }

  /** The line for `done` batches of the current epoch (exposed for tests). */
  render(done: number, logs: Logs | undefined, final: boolean): string {
    const elapsed = (Date.now() - this.epochStart) / 1000;
    const total = this.stepsPerEpoch;
    let bar: string;
    let eta: string;
    if (total) {
      const frac = Math.min(1, done / total);
      const filled = Math.round(frac * this.width);
      bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (frac >= 1 ? '=' : '>') : ''}${' '.repeat(this.width - filled)}] ${done}/${total}`;
      eta = final ? formatDuration(elapsed) : `ETA ${formatDuration(done > 0 ? (elapsed * (total - done)) / done : NaN)}`;
    } else {
      bar = `batch ${done}`;
      eta = formatDuration(elapsed);
    }
    const shown = Object.entries(logs ?? {})
      .filter(([k, v]) => typeof v === 'number' && k !== 'batch' && k !== 'size' && (!this.keys || this.keys.includes(k)))
      .map(([k, v]) => `${k} ${formatNumber(v as number)}`)
      .join('  ');
    return `Epoch ${this.epoch + 1}/${this.epochs} ${bar} ${eta}${shown ? `  ${shown}` : ''}`;
  }

  private draw(done: number, logs: Logs | undefined, final: boolean): void {
    if (!this.stream) return;
    let line = this.render(done, logs, final);
    const cols = this.stream.columns;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    this.stream.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
  }
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
}
