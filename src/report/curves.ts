/**
 * Training and validation curves per epoch as inline SVG: one panel per
 * quantity (loss, the monitored metric), one line per repeat (training
 * solid blue, validation orange), and a dot at each repeat's best epoch.
 */
import {checkKeys} from '../core/validate';
import {attrs, axes, px, scale, svg, text, ticks} from './svg';

/** One panel: per-repeat series of training and validation values (epoch 1 first). */
export interface CurvePanel {
  /** Panel name, e.g. `loss` or `g-mean`. */
  label: string;
  /** Training values: one series per repeat, one value per epoch (non-finite values are skipped). */
  train: number[][];
  /** Validation values, the same layout as `train`; may be empty. */
  validation: number[][];
}

/** Options of {@link curvesSvg}. */
export interface CurvesOptions {
  /** Best epoch (1-based) of each repeat: marked with a dot on the last panel's validation line. */
  bestEpochs?: number[];
  /** Accessible name of the SVG (its `<title>` and `aria-label`). Default `'training curves'`. */
  title?: string;
}

/** The y range of the finite values, padded; kept inside [0, 1] when the values are (metrics), and never below 0 for non-negative ones (losses). */
function finiteRange(series: number[][]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const unit = lo >= 0 && hi <= 1;
  const pad = hi - lo < 1e-9 ? (unit ? 0.1 : Math.max(0.5, Math.abs(hi) * 0.1)) : (hi - lo) * 0.06;
  let a = lo - pad;
  let b = hi + pad;
  if (lo >= 0) a = Math.max(0, a);
  if (unit) b = Math.min(1, b);
  return [a, b];
}

function line(values: number[], x: (v: number) => number, y: (v: number) => number, cls: string): string {
  const pts: string[] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) pts.push(`${px(x(i + 1))},${px(y(v))}`);
  });
  if (pts.length === 0) return '';
  if (pts.length === 1) return `<circle class="${cls}-dot" cx="${pts[0].split(',')[0]}" cy="${pts[0].split(',')[1]}" r="2"/>`;
  return `<polyline class="${cls}" points="${pts.join(' ')}"/>`;
}

/** Stacked panels sharing the epoch axis. Width 290 px, 140 px per panel. */
export function curvesSvg(panels: CurvePanel[], options: CurvesOptions = {}): string {
  checkKeys('curvesSvg', options, ['bestEpochs', 'title']);
  const W = 290;
  const panelH = 140;
  const H = 8 + panels.length * panelH + 14;
  const epochs = Math.max(1, ...panels.flatMap(p => [...p.train, ...p.validation].map(s => s.length)));
  const parts: string[] = [];
  panels.forEach((panel, p) => {
    const area = {x0: 48, x1: 276, y0: 8 + p * panelH + 14, y1: 8 + p * panelH + panelH - 24};
    const x = scale(1, Math.max(2, epochs), area.x0, area.x1);
    const [lo, hi] = finiteRange([...panel.train, ...panel.validation]);
    const y = scale(lo, hi, area.y1, area.y0);
    const xt = ticks(1, Math.max(2, epochs), 5).filter(t => Number.isInteger(t) && t >= 1);
    parts.push(axes(area, {ticks: xt, map: x, label: p === panels.length - 1 ? 'epoch' : undefined}, {ticks: ticks(lo, hi, 4), map: y}));
    parts.push(text(area.x0 + 4, area.y0 - 3, panel.label, {class: 'panel-title'}));
    panel.train.forEach(s => parts.push(line(s, x, y, 'train')));
    panel.validation.forEach(s => parts.push(line(s, x, y, 'val')));
    if (p === panels.length - 1 && options.bestEpochs) {
      options.bestEpochs.forEach((e, r) => {
        const v = panel.validation[r]?.[e - 1];
        if (e >= 1 && Number.isFinite(v)) parts.push(`<circle class="best"${attrs({cx: x(e), cy: y(v), r: 3.2})}><title>best epoch ${e} (repeat ${r + 1})</title></circle>`);
      });
    }
    if (p === 0) {
      const lx = area.x1 - 125;
      parts.push(`<line class="train"${attrs({x1: lx, x2: lx + 12, y1: area.y0 - 6, y2: area.y0 - 6})}/>` + text(lx + 15, area.y0 - 3, 'training', {class: 'legend'}));
      parts.push(`<line class="val"${attrs({x1: lx + 58, x2: lx + 70, y1: area.y0 - 6, y2: area.y0 - 6})}/>` + text(lx + 73, area.y0 - 3, 'validation', {class: 'legend'}));
    }
  });
  return svg(W, H, options.title ?? 'training curves', parts.join(''), 'chart curves');
}
