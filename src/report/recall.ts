/**
 * Per-class recall as horizontal bars (mean over repeats, with a ±1 sd
 * whisker and the value written out): the classes a method gives up are the
 * short bars.
 */
import {attrs, escapeHtml, fmt, scale, shorten, svg, text, ticks} from './svg';

/** Bars for `mean[k]` (± `sd[k]`) per class k. Width 290 px, 14-34 px per class. */
export function recallBarsSvg(mean: number[], sd: number[], classNames: string[], title = 'recall per class'): string {
  const C = mean.length;
  const labelW = Math.min(96, 8 + 6 * Math.max(...classNames.map(n => Math.min(14, n.length))));
  // Taller rows for few classes, down to 14 px for many.
  const row = Math.max(14, Math.min(34, Math.floor(180 / Math.max(1, C))));
  const area = {x0: labelW + 4, x1: 250, y0: 8, y1: 8 + C * row};
  const W = 290;
  const H = area.y1 + 34;
  const x = scale(0, 1, area.x0, area.x1);
  const parts: string[] = [];
  for (const t of ticks(0, 1, 4)) {
    parts.push(`<line class="grid"${attrs({x1: x(t), x2: x(t), y1: area.y0, y2: area.y1})}/>`);
    parts.push(text(x(t), area.y1 + 12, t.toFixed(2).replace(/0$/, ''), {class: 'tick', 'text-anchor': 'middle'}));
  }
  for (let k = 0; k < C; k++) {
    const yy = area.y0 + k * row;
    const v = Number.isFinite(mean[k]) ? mean[k] : 0;
    const tip = `${classNames[k]}: recall ${fmt(mean[k])} ± ${fmt(sd[k])}`;
    parts.push(`<rect class="bar"${attrs({x: x(0), y: yy + 3, width: Math.max(0, x(v) - x(0)), height: row - 6})}><title>${escapeHtml(tip)}</title></rect>`);
    if (Number.isFinite(sd[k]) && sd[k] > 0) {
      const cy = yy + row / 2;
      parts.push(`<path class="whisker" d="M${x(Math.max(0, v - sd[k])).toFixed(1)},${cy}H${x(Math.min(1, v + sd[k])).toFixed(1)}"/>`);
    }
    parts.push(text(area.x0 - 5, yy + row / 2 + 3, shorten(classNames[k], 14), {class: 'tick', 'text-anchor': 'end'}));
    const end = Number.isFinite(sd[k]) ? Math.min(1, v + sd[k]) : v;
    parts.push(text(Math.min(x(end) + 3, area.x1 + 4), yy + row / 2 + 3, fmt(mean[k], 2), {class: 'value'}));
  }
  parts.push(`<path class="axis"${attrs({d: `M${area.x0},${area.y0}V${area.y1}`})}/>`);
  parts.push(text((area.x0 + area.x1) / 2, area.y1 + 26, 'recall (mean ± sd over repeats)', {class: 'axis-label', 'text-anchor': 'middle'}));
  return svg(W, H, title, parts.join(''), 'chart recall');
}
