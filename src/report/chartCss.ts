/**
 * The stylesheet of the report's SVG charts (`reliabilitySvg`, `confusionSvg`,
 * `recallBarsSvg`, `curvesSvg`): the charts carry classes, not inline styles,
 * so a page that shows them includes this CSS once (`renderHtml` does).
 * Every rule is scoped to `svg.chart`, so it styles nothing else on the page.
 *
 * Colours follow CSS custom properties, set on the chart or any ancestor:
 * - `--chart-accent` (default #4c78a8): accuracy bars, recall bars, training curves;
 * - `--chart-ink` (#1d232b): values and legend text; `--chart-muted` (#5d6875): ticks, axis labels;
 * - `--chart-gap` (#e45756): the gap to the diagonal, wrong-class cells;
 * - `--chart-overlay` (#f58518): temperature-scaled overlay, validation curves.
 */
export const CHART_CSS = `
svg.chart { display: block; width: 100%; max-width: 290px; height: auto; overflow: visible; font-family: inherit; }
svg.chart .tick { font-size: 9.5px; fill: var(--chart-muted, #5d6875); }
svg.chart .axis-label { font-size: 10px; fill: var(--chart-muted, #5d6875); }
svg.chart .legend { font-size: 9.5px; fill: var(--chart-ink, #1d232b); }
svg.chart .panel-title { font-size: 10.5px; font-weight: 600; fill: var(--chart-ink, #1d232b); }
svg.chart .value { font-size: 9.5px; fill: var(--chart-ink, #1d232b); }
svg.chart .axis { fill: none; stroke: #8a939d; stroke-width: 1; }
svg.chart .grid { stroke: #eceff2; stroke-width: 1; }
svg.chart .tickmark { stroke: #8a939d; }
svg.chart .diagonal { stroke: #8a939d; stroke-dasharray: 4 3; stroke-width: 1; }
svg.chart rect.acc { fill: var(--chart-accent, #4c78a8); fill-opacity: 0.85; }
svg.chart rect.gap { fill: var(--chart-gap, #e45756); fill-opacity: 0.35; stroke: var(--chart-gap, #e45756); stroke-width: 0.6; }
svg.chart rect.count { fill: #9aa5b1; }
svg.chart .count-label { font-size: 8.5px; fill: var(--chart-ink, #1d232b); }
svg.chart polyline.curve { fill: none; stroke: #1d3c5e; stroke-width: 1.2; }
svg.chart .curve-dot { fill: #1d3c5e; }
svg.chart polyline.overlay, svg.chart line.overlay { fill: none; stroke: var(--chart-overlay, #f58518); stroke-width: 1.6; }
svg.chart .overlay-dot { fill: var(--chart-overlay, #f58518); }
svg.chart rect.cell { fill: #c8553d; } svg.chart rect.cell.diag { fill: #2e7d4f; }
svg.chart .cell-text { font-size: 11px; fill: var(--chart-ink, #1d232b); font-weight: 600; }
svg.chart .cell-sub { font-size: 9px; fill: var(--chart-muted, #5d6875); }
svg.chart .cell-text.light, svg.chart .cell-sub.light { fill: #fff; }
svg.chart rect.bar { fill: var(--chart-accent, #4c78a8); }
svg.chart .whisker { stroke: var(--chart-ink, #1d232b); stroke-width: 1.2; }
svg.chart polyline.train, svg.chart line.train { fill: none; stroke: var(--chart-accent, #4c78a8); stroke-width: 1.3; stroke-opacity: 0.85; }
svg.chart polyline.val, svg.chart line.val { fill: none; stroke: var(--chart-overlay, #f58518); stroke-width: 1.3; stroke-opacity: 0.85; }
svg.chart .train-dot { fill: var(--chart-accent, #4c78a8); } svg.chart .val-dot { fill: var(--chart-overlay, #f58518); }
svg.chart circle.best { fill: #fff; stroke: var(--chart-ink, #1d232b); stroke-width: 1.4; }
@media print { svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;
