/**
 * A terminal progress bar for training in Node: epoch, batch, ETA and the
 * latest logs, redrawn at most every `refreshMs`. The training loss and
 * metrics come first, then the validation ones, then the diagnostics of our
 * callbacks (`csl_*`, `crcen_*`); when they do not fit the terminal width the
 * logs wrap onto further lines (redrawn in place), never cut off. It prints
 * nothing when the stream is not a TTY (CI logs, pipes) unless `force` is set.
 * Written here rather than pulled from a package so the library keeps zero
 * runtime dependencies besides tfjs (and stays bundle-friendly for browsers).
 */
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber} from '../core/validate';
import {FitSession, PHASE_ORDER, PhaseCallback, PhaseWork} from './fitPhase';
import {Logs, resolveLogs} from './logs';

/** Where the bar is written: anything with `write` (and `isTTY` / `columns` if a terminal). */
export interface ProgressStream {
  /** Writes a chunk of text (no newline added). */
  write(chunk: string): unknown;
  /** True for a terminal: the bar is redrawn in place. */
  isTTY?: boolean;
  /** Terminal width in characters; the line wraps to it. */
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

/** Log keys written by our callbacks' diagnostics: shown after the metrics. */
const DIAGNOSTIC_PREFIXES = ['csl_', 'crcen_'];

/** Width used when the stream does not report one (not a terminal, e.g. `force` into a file). */
const DEFAULT_COLUMNS = 120;

/**
 * The keys to show, in display order: `loss`, the other training keys, `val_loss`,
 * the other validation keys (each group in log order), then diagnostics.
 */
export function orderLogKeys(keys: string[]): string[] {
  const rank = (k: string): number => {
    if (DIAGNOSTIC_PREFIXES.some(p => k.startsWith(p))) return 4;
    if (k === 'loss') return 0;
    if (k === 'val_loss') return 2;
    return k.startsWith('val_') ? 3 : 1;
  };
  return keys.map((k, i) => ({k, i, r: rank(k)})).sort((a, b) => a.r - b.r || a.i - b.i).map(e => e.k);
}

/**
 * Lays out `head` followed by `items`, two spaces apart, in lines of at most
 * `width` characters; continuation lines are indented by two spaces. An item
 * longer than a whole line gets a line of its own (the terminal wraps it).
 */
export function wrapItems(head: string, items: string[], width: number): string[] {
  const lines = [head];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last.length + 2 + item.length <= width) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(`  ${item}`);
  }
  return lines;
}

/**
 * `Epoch 2/10 [=====>    ] 12/20 ETA 3.1s  loss 0.4127  acc 0.8750  val_loss ...`,
 * redrawn in place, one final block per epoch. Works in any callback order: its
 * epoch line shows the keys our other callbacks write for that epoch.
 */
export class ProgressBar extends PhaseCallback {
  private readonly stream: ProgressStream | null;
  private readonly width: number;
  private readonly refreshMs: number;
  private readonly keys?: string[];
  private epochs = 0;
  private stepsPerEpoch: number | null = null;
  private epoch = 0;
  private epochStart = 0;
  private lastDraw = 0;
  private lastBatch = 0;
  /** Lines of the block drawn last (to redraw it in place). */
  private drawnLines = 0;

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
    const force = checkBoolean('force', options.force ?? false);
    this.stream = stream && (stream.isTTY || force) ? stream : null;
  }

  protected async begin(_session: FitSession): Promise<PhaseWork> {
    const p = this.params as {epochs?: number; steps?: number | null; samples?: number | null; batchSize?: number};
    this.epochs = p.epochs ?? 0;
    this.stepsPerEpoch = p.steps ?? (p.samples != null && p.batchSize ? Math.ceil(p.samples / p.batchSize) : null);
    this.drawnLines = 0;
    return {order: PHASE_ORDER.display};
  }

  /** Called by tfjs at the start of each epoch. */
  override async onEpochBegin(epoch: number): Promise<void> {
    await super.onEpochBegin(epoch);
    this.epoch = epoch;
    this.epochStart = Date.now();
    this.lastDraw = 0;
  }

  /** Called by tfjs after each training batch. */
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    await super.onBatchEnd(batch);
    this.lastBatch = batch + 1;
    const now = Date.now();
    if (now - this.lastDraw < this.refreshMs) return;
    this.lastDraw = now;
    if (this.stream) this.draw(batch + 1, await resolveLogs(logs), false);
  }

  /** Called by tfjs at the end of each epoch: prints the epoch's line. */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await super.onEpochEnd(epoch, logs); // our callbacks' keys are in the logs from here on
    if (this.stream) this.draw(this.stepsPerEpoch ?? this.lastBatch, await resolveLogs(logs), true);
  }

  /** The lines for `done` batches of the current epoch, at most `columns − 1` characters each (exposed for tests). */
  render(done: number, logs: Logs | undefined, final: boolean, columns = DEFAULT_COLUMNS): string[] {
    const elapsed = (Date.now() - this.epochStart) / 1000;
    const total = this.stepsPerEpoch;
    let bar: string;
    let eta: string;
    if (total) {
      const frac = Math.min(1, done / total);
      eta = final ? formatDuration(elapsed) : `ETA ${formatDuration(done > 0 ? (elapsed * (total - done)) / done : NaN)}`;
      // The bar gives up width (down to 5) so the first line fits a narrow terminal.
      const rest = `Epoch ${this.epoch + 1}/${this.epochs} [] ${done}/${total} ${eta}`.length;
      const width = Math.max(5, Math.min(this.width, columns - 1 - rest));
      const filled = Math.round(frac * width);
      bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (frac >= 1 ? '=' : '>') : ''}${' '.repeat(width - filled)}] ${done}/${total}`;
    } else {
      bar = `batch ${done}`;
      eta = formatDuration(elapsed);
    }
    const values = logs ?? {};
    const keys = orderLogKeys(Object.keys(values).filter(k => typeof values[k] === 'number' && k !== 'batch' && k !== 'size' && (!this.keys || this.keys.includes(k))));
    return wrapItems(`Epoch ${this.epoch + 1}/${this.epochs} ${bar} ${eta}`, keys.map(k => `${k} ${formatNumber(values[k] as number)}`), columns - 1);
  }

  private draw(done: number, logs: Logs | undefined, final: boolean): void {
    if (!this.stream) return;
    const lines = this.render(done, logs, final, this.stream.columns ?? DEFAULT_COLUMNS);
    // Back to the first line of the previous block, clear to the end of the screen, draw.
    const up = this.drawnLines > 1 ? `\x1b[${this.drawnLines - 1}A` : '';
    this.stream.write(`\r${up}\x1b[0J${lines.join('\n')}${final ? '\n' : ''}`);
    this.drawnLines = final ? 0 : lines.length;
  }
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);
}
