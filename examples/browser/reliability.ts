/**
 * A reliability diagram as an inline SVG string: accuracy against mean
 * confidence per bin (bars, with the gap to the diagonal shaded), the
 * diagonal of perfect calibration, and the bin counts as a histogram below.
 * Input: the `bins` of `imb.metrics.reliabilityDiagram(yTrue, yPred)`.
 */
import type {metrics} from 'tfjs-imbalanced';

/** Options of {@link reliabilitySvg}. */
export interface ReliabilitySvgOptions {
  /** Accent colour of the bars. */
  color?: string;
  /** Accessible title. */
  title?: string;
}

const W = 300;
const H = 300;
const PLOT = {x0: 40, x1: 290, y0: 10, y1: 200};
const HIST = {y0: 222, y1: 268};

const fx = (v: number) => PLOT.x0 + v * (PLOT.x1 - PLOT.x0);
const fy = (v: number) => PLOT.y1 - v * (PLOT.y1 - PLOT.y0);
const num = (v: number) => v.toFixed(1);
const escape = (s: string) => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c] as string));

/** The diagram for `bins` (all bins, empty ones included). */
export function reliabilitySvg(bins: metrics.ReliabilityBin[], options: ReliabilitySvgOptions = {}): string {
  const color = options.color ?? '#3b6fd8';
  const parts: string[] = [];
  // grid and axes
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${num(fx(0))}" x2="${num(fx(1))}" y1="${num(fy(t))}" y2="${num(fy(t))}" stroke="#e6e8ee"/>`);
    parts.push(`<text x="${num(PLOT.x0 - 6)}" y="${num(fy(t) + 4)}" text-anchor="end" font-size="10" fill="#667">${t}</text>`);
    parts.push(`<text x="${num(fx(t))}" y="${num(PLOT.y1 + 13)}" text-anchor="middle" font-size="10" fill="#667">${t}</text>`);
  }
  // bars: accuracy per bin, and the gap to the bin's mean confidence
  for (const b of bins) {
    if (b.count === 0) continue;
    const x = fx(b.lower) + 1;
    const w = Math.max(1, fx(b.upper) - fx(b.lower) - 2);
    parts.push(`<rect x="${num(x)}" y="${num(fy(b.accuracy))}" width="${num(w)}" height="${num(fy(0) - fy(b.accuracy))}" fill="${color}" fill-opacity="0.85"><title>confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}: accuracy ${b.accuracy.toFixed(3)}, mean confidence ${b.meanConfidence.toFixed(3)}, ${b.count} rows</title></rect>`);
    const [lo, hi] = [Math.min(b.accuracy, b.meanConfidence), Math.max(b.accuracy, b.meanConfidence)];
    parts.push(`<rect x="${num(x)}" y="${num(fy(hi))}" width="${num(w)}" height="${num(fy(lo) - fy(hi))}" fill="#e4572e" fill-opacity="0.28" stroke="#e4572e" stroke-opacity="0.7" stroke-width="0.8"/>`);
  }
  parts.push(`<line x1="${num(fx(0))}" y1="${num(fy(0))}" x2="${num(fx(1))}" y2="${num(fy(1))}" stroke="#222" stroke-dasharray="4 3" stroke-width="1"/>`);
  parts.push(`<line x1="${num(PLOT.x0)}" x2="${num(PLOT.x0)}" y1="${num(PLOT.y0)}" y2="${num(PLOT.y1)}" stroke="#99a"/>`);
  parts.push(`<line x1="${num(PLOT.x0)}" x2="${num(PLOT.x1)}" y1="${num(PLOT.y1)}" y2="${num(PLOT.y1)}" stroke="#99a"/>`);
  parts.push(`<text transform="translate(11 ${num((PLOT.y0 + PLOT.y1) / 2)}) rotate(-90)" text-anchor="middle" font-size="11" fill="#445">accuracy</text>`);
  // histogram of bin counts (log scale: the rare, uncertain bins stay visible)
  const maxLog = Math.log1p(Math.max(1, ...bins.map(b => b.count)));
  for (const b of bins) {
    if (b.count === 0) continue;
    const h = (Math.log1p(b.count) / maxLog) * (HIST.y1 - HIST.y0);
    parts.push(`<rect x="${num(fx(b.lower) + 1)}" y="${num(HIST.y1 - h)}" width="${num(Math.max(1, fx(b.upper) - fx(b.lower) - 2))}" height="${num(h)}" fill="#8a94a8"><title>${b.count} rows</title></rect>`);
  }
  parts.push(`<line x1="${num(PLOT.x0)}" x2="${num(PLOT.x1)}" y1="${HIST.y1}" y2="${HIST.y1}" stroke="#99a"/>`);
  parts.push(`<text x="${num(PLOT.x0 - 6)}" y="${HIST.y0 + 10}" text-anchor="end" font-size="10" fill="#667">rows</text>`);
  parts.push(`<text x="${num((PLOT.x0 + PLOT.x1) / 2)}" y="${H - 14}" text-anchor="middle" font-size="11" fill="#445">confidence (top class)</text>`);
  parts.push(`<text x="${num((PLOT.x0 + PLOT.x1) / 2)}" y="${H - 2}" text-anchor="middle" font-size="9" fill="#889">bin counts, log scale</text>`);
  const title = escape(options.title ?? 'reliability diagram');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}"><title>${title}</title>${parts.join('')}</svg>`;
}
