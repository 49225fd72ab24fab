/**
 * Small helpers shared by the report's inline SVG charts: escaping, number
 * formatting, linear scales, axes. Pure string building, no DOM: the output
 * works as an `innerHTML` fragment in a page and in a static HTML file.
 */

/** Escapes text for HTML / SVG content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);
}

/** `value` with `digits` decimals, or an en dash for NaN / undefined. */
export function fmt(value: number | undefined, digits = 3): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return v => r0 + (v - d0) * k;
}

/** Rounds to 0.1 px to keep the markup short. */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Attributes from an object (values escaped; undefined skipped). */
export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? px(v) : v)}"`)
    .join('');
}

/** An `<svg>` element with a viewBox of `width` x `height` and an accessible title. */
export function svg(width: number, height: number, title: string, body: string, className = 'chart'): string {
  return `<svg class="${className}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

/** A text element. */
export function text(x: number, y: number, content: string, a: Record<string, string | number | undefined> = {}): string {
  return `<text${attrs({x, y, ...a})}>${escapeHtml(content)}</text>`;
}

/** "Nice" tick values covering [lo, hi] (about `count` of them). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Tick label: integers as is, other values with as few decimals as the step needs. */
export function tickLabel(v: number, all: number[]): string {
  const step = all.length > 1 ? Math.abs(all[1] - all[0]) : 1;
  // As many decimals as the step has (0.025 -> 3), so neighbouring labels never round to the same text.
  let digits = 0;
  while (digits < 6 && Math.abs(step * 10 ** digits - Math.round(step * 10 ** digits)) > 1e-6) digits++;
  return v.toFixed(digits);
}

/** Axis lines with ticks and labels for a plot area [x0, x1] x [y0, y1] (y0 at the top). */
export function axes(
  area: {x0: number; x1: number; y0: number; y1: number},
  x: {ticks: number[]; map: (v: number) => number; label?: string},
  y: {ticks: number[]; map: (v: number) => number; label?: string},
): string {
  const parts: string[] = [];
  for (const t of y.ticks) {
    const yy = y.map(t);
    parts.push(`<line class="grid"${attrs({x1: area.x0, x2: area.x1, y1: yy, y2: yy})}/>`);
    parts.push(text(area.x0 - 4, yy + 3, tickLabel(t, y.ticks), {class: 'tick', 'text-anchor': 'end'}));
  }
  for (const t of x.ticks) {
    const xx = x.map(t);
    parts.push(`<line class="tickmark"${attrs({x1: xx, x2: xx, y1: area.y1, y2: area.y1 + 3})}/>`);
    parts.push(text(xx, area.y1 + 13, tickLabel(t, x.ticks), {class: 'tick', 'text-anchor': 'middle'}));
  }
  parts.push(`<path class="axis" d="M${px(area.x0)},${px(area.y0)}V${px(area.y1)}H${px(area.x1)}"/>`);
  if (x.label) parts.push(text((area.x0 + area.x1) / 2, area.y1 + 26, x.label, {class: 'axis-label', 'text-anchor': 'middle'}));
  if (y.label) {
    const cy = (area.y0 + area.y1) / 2;
    parts.push(text(0, 0, y.label, {class: 'axis-label', 'text-anchor': 'middle', transform: `translate(${px(area.x0 - 30)},${px(cy)}) rotate(-90)`}));
  }
  return parts.join('');
}

/** A name cut to `max` characters with an ellipsis. */
export function shorten(name: string, max: number): string {
  return name.length <= max ? name : `${name.slice(0, Math.max(1, max - 1))}…`;
}
