/**
 * Reliability diagram as inline SVG (Guo et al. 2017, "On Calibration of
 * Modern Neural Networks", Fig. 1 style): per confidence bin, a bar at the
 * accuracy of the predictions in that bin, the gap to their mean confidence
 * shaded, the diagonal of perfect calibration, and below it a histogram of
 * how many predictions fall in each bin, with the counts written out.
 */
import type {ReliabilityBin} from '../metrics/reliabilityDiagram';
import {checkKeys} from '../core/validate';
import {attrs, axes, escapeHtml, px, scale, svg, text, ticks} from './svg';

/** Sums bins of the same edges (e.g. the test rows of every repeat): counts add, means are count-weighted. */
export function poolBins(sets: ReliabilityBin[][]): ReliabilityBin[] {
  if (sets.length === 0) return [];
  return sets[0].map((b, m) => {
    let count = 0;
    let conf = 0;
    let acc = 0;
    for (const set of sets) {
      const x = set[m];
      if (!x || x.count === 0) continue;
      count += x.count;
      conf += x.meanConfidence * x.count;
      acc += x.accuracy * x.count;
    }
    return {lower: b.lower, upper: b.upper, count, meanConfidence: count ? conf / count : NaN, accuracy: count ? acc / count : NaN};
  });
}

/** Expected calibration error of bins: Σ (n_m / N) |acc_m − conf_m| over non-empty bins. */
export function binsEce(bins: ReliabilityBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  if (n === 0) return NaN;
  return bins.reduce((a, b) => a + (b.count ? (b.count / n) * Math.abs(b.accuracy - b.meanConfidence) : 0), 0);
}

/** Options of {@link reliabilitySvg}. */
export interface ReliabilitySvgOptions {
  /** Second set of bins drawn as an orange line (e.g. after temperature scaling). */
  overlay?: ReliabilityBin[];
  /** Legend name of the overlay. Default 'temperature-scaled'. */
  overlayLabel?: string;
  /** Accessible title. */
  title?: string;
}

/**
 * The diagram for `bins` (all bins, empty ones included, as
 * `metrics.reliabilityDiagram` returns them). 290 x 350 px, styled by
 * `CHART_CSS`; the bars take the colour of `--chart-accent`.
 */
export function reliabilitySvg(bins: ReliabilityBin[], options: ReliabilitySvgOptions = {}): string {
  checkKeys('reliabilitySvg', options, ['overlay', 'overlayLabel', 'title']);
  const W = 290;
  const H = 350;
  const area = {x0: 44, x1: 274, y0: 12, y1: 212};
  const hist = {y0: 262, y1: 318};
  const x = scale(0, 1, area.x0, area.x1);
  const y = scale(0, 1, area.y1, area.y0);
  const parts: string[] = [];
  const t = ticks(0, 1, 5);
  parts.push(axes(area, {ticks: t, map: x}, {ticks: t, map: y, label: 'accuracy'}));
  parts.push(`<line class="diagonal"${attrs({x1: x(0), y1: y(0), x2: x(1), y2: y(1)})}/>`);
  for (const b of bins) {
    if (b.count === 0) continue;
    const left = x(b.lower) + 0.5;
    const width = Math.max(0.5, x(b.upper) - x(b.lower) - 1);
    const tip = `${b.lower.toFixed(2)}–${b.upper.toFixed(2)}: ${b.count} predictions, accuracy ${b.accuracy.toFixed(3)}, mean confidence ${b.meanConfidence.toFixed(3)}`;
    parts.push(`<rect class="acc"${attrs({x: left, y: y(b.accuracy), width, height: y(0) - y(b.accuracy)})}><title>${escapeHtml(tip)}</title></rect>`);
    const top = Math.max(b.accuracy, b.meanConfidence);
    const gap = Math.abs(b.accuracy - b.meanConfidence);
    if (gap > 0) parts.push(`<rect class="gap"${attrs({x: left, y: y(top), width, height: y(0) - y(gap)})}/>`);
  }
  const curve = (set: ReliabilityBin[], cls: string) => {
    const pts = set.filter(b => b.count > 0).map(b => `${px(x(b.meanConfidence))},${px(y(b.accuracy))}`);
    if (pts.length === 0) return '';
    return `<polyline class="${cls}" points="${pts.join(' ')}"/>` + pts.map(p => `<circle class="${cls}-dot" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.2"/>`).join('');
  };
  parts.push(curve(bins, 'curve'));
  if (options.overlay) parts.push(curve(options.overlay, 'overlay'));
  // Histogram of bin counts, counts written above the bars.
  const maxCount = Math.max(1, ...bins.map(b => b.count));
  const hy = scale(0, maxCount, hist.y1, hist.y0);
  parts.push(`<path class="axis" d="M${px(area.x0)},${px(hist.y1)}H${px(area.x1)}"/>`);
  for (const b of bins) {
    if (b.count === 0) continue;
    const left = x(b.lower) + 0.5;
    const width = Math.max(0.5, x(b.upper) - x(b.lower) - 1);
    const h = Math.max(1, hist.y1 - hy(b.count));
    parts.push(`<rect class="count"${attrs({x: left, y: hist.y1 - h, width, height: h})}/>`);
    const cx = left + width / 2 + 3;
    parts.push(text(0, 0, String(b.count), {class: 'count-label', transform: `translate(${px(cx)},${px(hist.y1 - h - 2)}) rotate(-90)`}));
  }
  for (const v of t) parts.push(text(x(v), hist.y1 + 12, v.toFixed(1), {class: 'tick', 'text-anchor': 'middle'}));
  parts.push(text((area.x0 + area.x1) / 2, hist.y1 + 26, 'confidence (top-label probability)', {class: 'axis-label', 'text-anchor': 'middle'}));
  parts.push(text(0, 0, 'rows', {class: 'axis-label', 'text-anchor': 'middle', transform: `translate(${px(area.x0 - 30)},${px((hist.y0 + hist.y1) / 2)}) rotate(-90)`}));
  // Legend.
  const ly = area.y0 + 6;
  parts.push(`<rect class="acc"${attrs({x: area.x0 + 8, y: ly, width: 9, height: 9})}/>` + text(area.x0 + 21, ly + 8, 'accuracy', {class: 'legend'}));
  parts.push(`<rect class="gap"${attrs({x: area.x0 + 8, y: ly + 14, width: 9, height: 9})}/>` + text(area.x0 + 21, ly + 22, 'gap to confidence', {class: 'legend'}));
  if (options.overlay) {
    parts.push(`<line class="overlay"${attrs({x1: area.x0 + 8, x2: area.x0 + 17, y1: ly + 32, y2: ly + 32})}/>` +
      text(area.x0 + 21, ly + 36, options.overlayLabel ?? 'temperature-scaled', {class: 'legend'}));
  }
  return svg(W, H, options.title ?? 'reliability diagram', parts.join(''), 'chart reliability');
}
