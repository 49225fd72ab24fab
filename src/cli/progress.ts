/**
 * Progress output of `compare`: on a terminal one line redrawn in place
 * (runs done, method, repeat, epoch, the monitored value, ETA); elsewhere
 * (CI logs, pipes) one line per finished run.
 */
import {ProgressStream, formatDuration} from '../callbacks/progressBar';
import type {ProgressEvent, RunResult} from '../compare/types';

/** Where progress goes: a stream with `write` (and `isTTY` / `columns` for a terminal), as `callbacks.ProgressBar` writes to. */
export type ProgressOutput = ProgressStream;

/** Options of {@link ProgressPrinter}. */
export interface ProgressOptions {
  /** Log key shown while training (e.g. `val_gmean`). */
  monitor: string | null;
  /** Test metric shown per finished run (key and label). */
  testMetric: {key: string; label: string};
  /** Minimum time between redraws, ms. Default 150. */
  refreshMs?: number;
  /** Clock (ms), swapped in tests. Default Date.now. */
  now?: () => number;
}

/** Turns engine progress events into terminal output. */
export class ProgressPrinter {
  private readonly tty: boolean;
  private start = 0;
  private runs = 0;
  private repeats = 1;
  private epochs = 1;
  private epochsDone = 0;
  private finished: RunResult[] = [];
  private nameWidth = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly now: () => number;

  constructor(private readonly out: ProgressOutput, private readonly options: ProgressOptions) {
    this.tty = out.isTTY === true;
    this.now = options.now ?? Date.now;
  }

  /** Handles one event from `compare.run`'s `onProgress`. */
  handle(e: ProgressEvent): void {
    if (e.type === 'start') {
      this.start = this.now();
      this.runs = e.runs;
      this.repeats = e.repeats;
      this.epochs = e.epochs;
      this.nameWidth = Math.max(...e.methods.map(m => m.length));
      this.out.write(`training ${e.methods.length} method${e.methods.length === 1 ? '' : 's'} x ${e.repeats} repeat${e.repeats === 1 ? '' : 's'} = ${e.runs} runs, up to ${e.epochs} epochs each\n`);
    } else if (e.type === 'epoch') {
      this.epochsDone++;
      if (!this.tty) return;
      const t = this.now();
      if (t - this.lastDraw < (this.options.refreshMs ?? 150) && e.epoch + 1 < e.epochs) return;
      this.lastDraw = t;
      const monitor = this.options.monitor;
      const value = monitor !== null ? e.logs[monitor] : undefined;
      this.draw(`${this.bar(e.run.index)} ${e.run.index + 1}/${this.runs}  ${e.run.method}  repeat ${e.run.repeat + 1}/${this.repeats}  epoch ${e.epoch + 1}/${e.epochs}` +
        `${typeof value === 'number' ? `  ${monitor} ${value.toFixed(3)}` : ''}  ETA ${formatDuration(this.eta(e.epoch + 1))}`);
    } else if (e.type === 'runEnd') {
      this.finished.push(e.result);
      this.clear();
      this.out.write(`${this.runLine(e.run.index, e.result)}\n`);
    } else if (e.type === 'end') {
      this.clear();
    }
  }

  /** The line written when a run finishes. */
  runLine(index: number, r: RunResult): string {
    const width = String(this.runs).length;
    const head = `[${String(index + 1).padStart(width)}/${this.runs}] ${r.method.padEnd(this.nameWidth)}  repeat ${r.repeat + 1}/${this.repeats}`;
    if (r.error !== undefined) return `${head}  FAILED: ${r.error}`;
    const ev = r.evaluations.find(x => !x.calibrated && x.budget === this.epochs) ?? r.evaluations[0];
    const {key, label} = this.options.testMetric;
    const value = ev?.metrics[key];
    return `${head}  best epoch ${r.bestEpoch}/${r.epochsRun}  test ${label} ${typeof value === 'number' && Number.isFinite(value) ? value.toFixed(3) : '–'}  ${r.seconds.toFixed(1)}s`;
  }

  /** Seconds left: the mean time per epoch so far times the epochs still expected. */
  private eta(epochInRun: number): number {
    const elapsed = (this.now() - this.start) / 1000;
    if (this.epochsDone === 0) return NaN;
    const perEpoch = elapsed / this.epochsDone;
    const expected = this.finished.length > 0
      ? this.finished.reduce((a, r) => a + Math.max(1, r.epochsRun), 0) / this.finished.length
      : this.epochs;
    const left = Math.max(0, expected - epochInRun) + Math.max(0, this.runs - this.finished.length - 1) * expected;
    return perEpoch * left;
  }

  private bar(index: number): string {
    const width = 20;
    const filled = Math.round((width * index) / Math.max(1, this.runs));
    return `[${'='.repeat(filled)}${' '.repeat(width - filled)}]`;
  }

  private draw(line: string): void {
    const cols = this.out.columns;
    const shown = cols && line.length > cols - 1 ? line.slice(0, cols - 1) : line;
    this.out.write(`\r\x1b[2K${shown}`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
