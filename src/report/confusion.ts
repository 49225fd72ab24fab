/**
 * Confusion matrix as an inline SVG heat map: rows are the true classes,
 * columns the predicted ones; each cell shows its count and its share of the
 * row (the row's recall on the diagonal), shaded by that share.
 */
import {attrs, escapeHtml, px, shorten, svg, text} from './svg';

/** The matrix `m` (rows = true class) with class names. Width about 290 px. */
export function confusionSvg(m: number[][], classNames: string[], title = 'confusion matrix'): string {
  const C = m.length;
  const labelW = Math.min(96, 8 + 6 * Math.max(...classNames.map(n => Math.min(14, n.length))));
  const cell = Math.max(14, Math.min(64, Math.floor((286 - labelW - 16) / Math.max(1, C))));
  const top = 44;
  const left = labelW + 16;
  const W = left + C * cell + 6;
  const H = top + C * cell + 30;
  const showText = cell >= 26;
  const parts: string[] = [];
  const rowSums = m.map(r => r.reduce((a, b) => a + b, 0));
  for (let i = 0; i < C; i++) {
    for (let j = 0; j < C; j++) {
      const share = rowSums[i] > 0 ? m[i][j] / rowSums[i] : 0;
      const xx = left + j * cell;
      const yy = top + i * cell;
      const tip = `true ${classNames[i]}, predicted ${classNames[j]}: ${m[i][j]} (${(100 * share).toFixed(1)}% of the row)`;
      parts.push(`<rect class="${i === j ? 'cell diag' : 'cell'}"${attrs({x: xx, y: yy, width: cell - 1, height: cell - 1, 'fill-opacity': (0.06 + 0.94 * share).toFixed(3)})}><title>${escapeHtml(tip)}</title></rect>`);
      if (showText) {
        const dark = share > 0.55;
        parts.push(text(xx + cell / 2, yy + cell / 2 - (cell >= 40 ? 2 : -3), String(m[i][j]), {class: dark ? 'cell-text light' : 'cell-text', 'text-anchor': 'middle'}));
        if (cell >= 40) parts.push(text(xx + cell / 2, yy + cell / 2 + 11, `${(100 * share).toFixed(share < 0.1 && share > 0 ? 1 : 0)}%`, {class: dark ? 'cell-sub light' : 'cell-sub', 'text-anchor': 'middle'}));
      }
    }
    parts.push(text(left - 5, top + i * cell + cell / 2 + 3, shorten(classNames[i], 14), {class: 'tick', 'text-anchor': 'end'}));
  }
  for (let j = 0; j < C; j++) {
    const cx = left + j * cell + cell / 2;
    parts.push(text(0, 0, shorten(classNames[j], 12), {class: 'tick', transform: `translate(${px(cx + 3)},${px(top - 5)}) rotate(-35)`}));
  }
  parts.push(text(left + (C * cell) / 2, H - 8, 'predicted class', {class: 'axis-label', 'text-anchor': 'middle'}));
  parts.push(text(0, 0, 'true class', {class: 'axis-label', 'text-anchor': 'middle', transform: `translate(10,${px(top + (C * cell) / 2)}) rotate(-90)`}));
  return svg(W, H, title, parts.join(''), 'chart confusion');
}
