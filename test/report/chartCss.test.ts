/**
 * CHART_CSS (src/report/chartCss.ts): the one stylesheet of the report's SVG
 * charts. Every class the charts draw has a rule, every rule is scoped to
 * `svg.chart` (a page including it keeps its own styles), the colours follow
 * the `--chart-*` custom properties, and the report page embeds it once.
 * (That the bars take a container's `--chart-accent` in a real browser is
 * checked by test/browser/example.test.ts.)
 */
import * as imb from '../../src';
import {CHART_CSS} from '../../src/report/chartCss';
import {confusionSvg} from '../../src/report/confusion';
import {curvesSvg} from '../../src/report/curves';
import {recallBarsSvg} from '../../src/report/recall';
import {reliabilitySvg} from '../../src/report/reliability';
import {renderHtml} from '../../src/report/render';
import type {CompareResult} from '../../src/compare/types';
import {reliabilityDiagram} from '../../src/metrics';

/** Every chart piece, drawn with inputs that use all of its marks. */
function allCharts(): string[] {
  const bins = reliabilityDiagram([0, 1, 1, 0, 1], [[0.91], [0.95], [0.61], [0.3], [0.75]], {bins: 10}).bins;
  return [
    reliabilitySvg(bins, {overlay: bins}),
    confusionSvg([[8, 2], [1, 3]], ['a', 'b']),
    recallBarsSvg([0.8, 0.4], [0.1, 0.2], ['a', 'b']),
    curvesSvg([{label: 'loss', train: [[1, 0.8, 0.7]], validation: [[1.1, 0.9, 0.95]]}, {label: 'g-mean', train: [[0.2]], validation: [[0.3]]}], {bestEpochs: [2]}),
  ];
}

/** The class names used in `markup` (class="a b" attributes). */
function classesOf(markup: string): Set<string> {
  return new Set([...markup.matchAll(/class="([^"]*)"/g)].flatMap(m => m[1].split(/\s+/)).filter(Boolean));
}

/** The selector lists of the top-level rules and of the rules inside @media blocks. */
function selectors(css: string): string[] {
  const flat = css.replace(/@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}/g, '$1');
  return [...flat.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap(m => m[1].split(',').map(s => s.trim())).filter(Boolean);
}

describe('CHART_CSS', () => {
  it('has a rule for every class the charts draw', () => {
    const roots = new Set(['chart', 'reliability', 'confusion', 'recall', 'curves']);
    const used = [...new Set(allCharts().flatMap(svg => [...classesOf(svg)]))].filter(c => !roots.has(c));
    const styled = new Set(selectors(CHART_CSS).flatMap(s => [...s.matchAll(/\.([\w-]+)/g)].map(m => m[1])));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter(c => !styled.has(c))).toEqual([]);
  });

  it('scopes every rule to svg.chart', () => {
    const all = selectors(CHART_CSS);
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter(s => !s.startsWith('svg.chart'))).toEqual([]);
  });

  it('takes the bar colour from --chart-accent, with the report blue as default', () => {
    const rule = (selector: string) => CHART_CSS.match(new RegExp(`${selector.replace('.', '\\.')} \\{([^}]*)\\}`))?.[1];
    expect(rule('svg.chart rect.acc')).toContain('fill: var(--chart-accent, #4c78a8)');
    expect(rule('svg.chart rect.bar')).toContain('fill: var(--chart-accent, #4c78a8)');
    expect(rule('svg.chart rect.gap')).toContain('fill: var(--chart-gap, #e45756)');
  });

  it('is exported from the public report namespace and embedded once by renderHtml', () => {
    expect(imb.report.CHART_CSS).toBe(CHART_CSS);
    const html = renderHtml(minimalResult());
    expect(html.split(CHART_CSS).length - 1).toBe(1);
    expect(html.indexOf(CHART_CSS)).toBeLessThan(html.indexOf('</style>'));
  });
});

/** The smallest result renderHtml accepts: one method, no runs. */
function minimalResult(): CompareResult {
  return {
    data: {name: 'x', numRows: 2, featureShape: [1], numClasses: 2, classNames: ['a', 'b'], classCounts: [1, 1], imbalanceRatio: 1},
    config: {epochs: [1], repeats: 1, splits: 'stratified', seed: 0, bins: 10, monitor: null, threshold: 0.5, temperatureScale: false},
    methods: [{label: 'ce', description: 'cross-entropy'}],
    metrics: [],
    summary: [],
    runs: [],
    environment: {library: '0', tfjs: '4.22.0', backend: 'cpu'},
    seconds: 0,
  } as unknown as CompareResult;
}
