/**
 * The results table of a comparison in three forms: plain text for a
 * terminal, Markdown (README, docs) and HTML (the report). Cells are
 * `mean ± sd` over repeats; the best row of each column is marked (`*`,
 * bold, or highlighted). Only the result object is needed: a table can be
 * re-rendered from a saved `--json` file.
 */
import type {CompareResult, Stat, SummaryRow} from '../compare/types';
import {checkKeys} from '../core/validate';
import {escapeHtml, fmt} from './svg';

/** `0.851 ± 0.012`, or the mean alone for one repeat. */
export function cell(s: Stat, digits = 3): string {
  if (!Number.isFinite(s.mean)) return '–';
  return s.values.length > 1 ? `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}` : fmt(s.mean, digits);
}

/** Options of the text and Markdown tables. */
export interface TableOptions {
  /** Only rows of this budget (default: every row). */
  budget?: number;
  /** Add the best-epoch and seconds-per-run columns. Default true. */
  timing?: boolean;
}

/** The option names of the three tables. */
const TABLE_KEYS = ['budget', 'timing'];

function rowsOf(result: CompareResult, opts: TableOptions): SummaryRow[] {
  return result.summary.filter(r => opts.budget === undefined || r.budget === opts.budget);
}

function rowName(r: SummaryRow): string {
  return r.failed > 0 ? `${r.label} (${r.failed} failed)` : r.label;
}

/** Header and cells of the table as strings (best cells flagged). */
function grid(result: CompareResult, opts: TableOptions): {header: string[]; rows: {cells: string[]; best: boolean[]}[]; arrows: string[]} {
  const timing = opts.timing ?? true;
  const header = ['method', ...result.metrics.map(m => m.label)];
  const arrows = ['', ...result.metrics.map(m => (m.better === 'max' ? '↑' : '↓'))];
  if (timing) {
    header.push('best epoch', 's / run');
    arrows.push('', '');
  }
  const rows = rowsOf(result, opts).map(r => {
    const cells = [rowName(r), ...result.metrics.map(m => cell(r.stats[m.key]))];
    const best = [false, ...result.metrics.map(m => r.best.includes(m.key))];
    if (timing) {
      cells.push(cell(r.bestEpoch, 1), fmt(r.seconds.mean, 1));
      best.push(false, false);
    }
    return {cells, best};
  });
  return {header, rows, arrows};
}

/** A fixed-width table for a terminal; `*` marks the best value of each column. */
export function textTable(result: CompareResult, opts: TableOptions = {}): string {
  checkKeys('textTable', opts, TABLE_KEYS);
  const {header, rows, arrows} = grid(result, opts);
  const head = header.map((h, i) => (arrows[i] ? `${h} ${arrows[i]}` : h));
  const body = rows.map(r => r.cells.map((c, i) => (r.best[i] ? `${c}*` : c)));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map(w => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A Markdown table; the best value of each column is bold. */
export function markdownTable(result: CompareResult, opts: TableOptions = {}): string {
  checkKeys('markdownTable', opts, TABLE_KEYS);
  const {header, rows, arrows} = grid(result, opts);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${header.map((h, i) => esc(arrows[i] ? `${h} ${arrows[i]}` : h)).join(' | ')} |`;
  const sep = `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  const body = rows.map(r => `| ${r.cells.map((c, i) => (r.best[i] ? `**${esc(c)}**` : esc(c))).join(' | ')} |`);
  return [head, sep, ...body].join('\n');
}

/** The HTML table of the report: arrows say which direction is better; best cells are highlighted. */
export function htmlTable(result: CompareResult, opts: TableOptions = {}): string {
  checkKeys('htmlTable', opts, TABLE_KEYS);
  const timing = opts.timing ?? true;
  const head = [
    '<th scope="col">method</th>',
    ...result.metrics.map(m => `<th scope="col" title="${escapeHtml(m.description)}">${escapeHtml(m.label)} <span class="dir">${m.better === 'max' ? '↑' : '↓'}</span></th>`),
    ...(timing ? ['<th scope="col" title="epoch whose weights were evaluated (mean over repeats)">best epoch</th>', '<th scope="col" title="training wall time per run, seconds">s / run</th>'] : []),
  ].join('');
  const body = rowsOf(result, opts).map(r => {
    const cls = r.calibrated ? ' class="calibrated"' : '';
    const name = `<th scope="row"><a href="#${anchor(result, r.method)}">${escapeHtml(r.label)}</a>${r.failed > 0 ? ` <span class="failed">${r.failed} failed</span>` : ''}</th>`;
    const cells = result.metrics.map(m => {
      const s = r.stats[m.key];
      const best = r.best.includes(m.key);
      const sd = s.values.length > 1 && Number.isFinite(s.sd) ? `<span class="sd"> ± ${fmt(s.sd)}</span>` : '';
      return `<td${best ? ' class="best"' : ''}>${fmt(s.mean)}${sd}</td>`;
    });
    const extra = timing ? [`<td>${fmt(r.bestEpoch.mean, 1)}</td>`, `<td>${fmt(r.seconds.mean, 1)}</td>`] : [];
    return `<tr${cls}>${name}${cells.join('')}${extra.join('')}</tr>`;
  });
  return `<table class="results"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** The element id of a method's section in the report (`method-<index>`). */
export function anchor(result: CompareResult, method: string): string {
  return `method-${Math.max(0, result.methods.findIndex(m => m.label === method))}`;
}
