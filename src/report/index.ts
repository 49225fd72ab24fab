/**
 * Rendering comparison results (browser-safe, pure functions, no DOM):
 * `renderHtml(result)` gives the self-contained report page; the SVG pieces
 * (reliability diagram, confusion matrix, per-class recall, curves) and the
 * tables (text, Markdown, HTML) can be used on their own, e.g. in a page,
 * which includes `CHART_CSS` once to style them.
 */
export {renderHtml} from './render';
export {CHART_CSS} from './chartCss';
export type {RenderOptions} from './render';
export {reliabilitySvg, poolBins, binsEce} from './reliability';
export type {ReliabilitySvgOptions} from './reliability';
export {confusionSvg} from './confusion';
export {recallBarsSvg} from './recall';
export {curvesSvg} from './curves';
export type {CurvePanel, CurvesOptions} from './curves';
export {textTable, markdownTable, htmlTable, cell} from './table';
export type {TableOptions} from './table';
export {escapeHtml} from './svg';
