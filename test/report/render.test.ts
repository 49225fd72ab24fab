/**
 * The report page from a real (tiny) comparison: structure, one reliability
 * diagram with bin counts, confusion matrix, recall bars and curves per
 * method, self-contained (no script, no URL), escaped user text.
 */
import fc from 'fast-check';
import {run} from '../../src/compare/run';
import type {CompareResult} from '../../src/compare/types';
import {reliabilityDiagram} from '../../src/metrics';
import {renderHtml} from '../../src/report/render';
import {binsEce, poolBins, reliabilitySvg} from '../../src/report/reliability';
import {confusionSvg} from '../../src/report/confusion';
import {markdownTable, textTable} from '../../src/report/table';
import {blobs} from '../compare/fixtures';

/** The text of every `<section class="method">`. */
function sections(html: string): string[] {
  return html.split('<section class="method"').slice(1).map(s => s.slice(0, s.indexOf('</section>')));
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('renderHtml', () => {
  let result: CompareResult;
  let html: string;

  beforeAll(async () => {
    const data = {...blobs([60, 20]), classNames: ['<b>normal</b>', 'fraud & "co"']};
    result = await run(data, {
      methods: ['ce', {method: 'dwb', label: 'dwb <script>alert(1)</script>'}, 'remix'],
      epochs: 3, repeats: 2, temperatureScale: true, dataName: 'tiny "blobs"',
    });
    result.extra = {command: "tfjs-imbalanced compare --data 'a b.csv'"};
    html = renderHtml(result);
  });

  it('is one self-contained page: no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/url\(|@import|<link|<img|<iframe/i);
  });

  it('has the results table: a row per method and variant, mean ± sd cells, the best cells marked', () => {
    const table = html.slice(html.indexOf('<table class="results">'), html.indexOf('</table>'));
    expect(count(table, '<tr')).toBe(1 + 6);
    for (const m of result.metrics) expect(table).toContain(`>${m.label} <span class="dir">`);
    expect(count(table, 'class="best"')).toBe(result.summary.reduce((n, r) => n + r.best.length, 0));
    expect(table).toContain(`${result.summary[0].stats.gmean.mean.toFixed(3)}<span class="sd"> ± ${result.summary[0].stats.gmean.sd.toFixed(3)}</span>`);
  });

  it('draws per method one reliability diagram with its bin counts, a confusion matrix, recall bars and curves', () => {
    const secs = sections(html);
    expect(secs).toHaveLength(3);
    secs.forEach((s, i) => {
      const label = result.methods[i].label;
      expect(count(s, '<svg class="chart reliability"')).toBe(1);
      expect(count(s, '<svg class="chart confusion"')).toBe(1);
      expect(count(s, '<svg class="chart recall"')).toBe(1);
      expect(count(s, '<svg class="chart curves"')).toBe(1);
      // Bin counts: every non-empty pooled bin's count is written out; they add up to the test rows of both repeats.
      const evals = result.runs.filter(r => r.method === label).map(r => r.evaluations.find(e => !e.calibrated)!);
      const bins = poolBins(evals.map(e => e.reliability)).filter(b => b.count > 0);
      const labels = [...s.matchAll(/class="count-label"[^>]*>(\d+)</g)].map(m => Number(m[1]));
      expect(labels).toEqual(bins.map(b => b.count));
      expect(labels.reduce((a, b) => a + b, 0)).toBe(32);
      // The confusion matrix is summed over the repeats.
      const cells = [...s.matchAll(/class="cell-text[^"]*"[^>]*>(\d+)</g)].map(m => Number(m[1]));
      const summed = evals[0].confusion.flat().map((v, k) => v + evals[1].confusion.flat()[k]);
      expect(cells).toEqual(summed);
      // The temperature-scaled curve is drawn over the diagram.
      expect(s).toContain('class="overlay"');
    });
  });

  it('escapes every piece of user text', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('dwb &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>normal</b>');
    expect(html).toContain('&lt;b&gt;normal&lt;/b&gt;');
    expect(html).toContain('fraud &amp; &quot;co&quot;');
    expect(html).toContain('tiny &quot;blobs&quot;');
    expect(html).toContain('<code>tfjs-imbalanced compare --data &#39;a b.csv&#39;</code>');
  });

  it('renders the same page from the JSON file (NaN stored as null)', () => {
    const back = JSON.parse(JSON.stringify(result)) as CompareResult;
    expect(renderHtml(back)).toBe(html);
  });

  it('shows failed runs with their reason', () => {
    const failed = {...result, runs: result.runs.map((r, i) => (i === 0 ? {...r, error: 'the training loss became NaN in epoch 2', evaluations: []} : r))};
    const page = renderHtml(failed);
    expect(page).toContain('repeat 1 failed: the training loss became NaN in epoch 2');
  });

  it('text and Markdown tables mark the best cells', () => {
    const text = textTable(result);
    expect(text.split('\n')).toHaveLength(2 + 6);
    expect(text).toMatch(/\*/);
    const md = markdownTable(result);
    expect(md.split('\n')[1]).toBe(`|---|${result.metrics.map(() => '---:').join('|')}|---:|---:|`);
    expect(count(md, '**')).toBe(2 * result.summary.reduce((n, r) => n + r.best.length, 0));
  });
});

describe('report pieces', () => {
  it('pooling bins of several splits gives the ECE of the concatenated predictions (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.tuple(fc.integer({min: 0, max: 1}), fc.double({min: 0, max: 1, noNaN: true})), {minLength: 1, maxLength: 30}), {minLength: 1, maxLength: 4}),
      splits => {
        const diagram = (rows: [number, number][]) => reliabilityDiagram(rows.map(r => r[0]), rows.map(r => [r[1]]), {bins: 10});
        const pooled = poolBins(splits.map(s => diagram(s).bins));
        const whole = diagram(splits.flat());
        expect(binsEce(pooled)).toBeCloseTo(whole.ece, 10);
        pooled.forEach((b, m) => expect(b.count).toBe(whole.bins[m].count));
      },
    ), {seed: 3, numRuns: 50});
  });

  it('reliabilitySvg draws a bar and a count for each non-empty bin only', () => {
    const d = reliabilityDiagram([0, 1, 1, 1], [[0.91], [0.95], [0.61], [0.62]], {bins: 10});
    const svg = reliabilitySvg(d.bins);
    expect(count(svg, '<rect class="acc"')).toBe(2 + 1); // two bins + the legend swatch
    expect([...svg.matchAll(/class="count-label"[^>]*>(\d+)</g)].map(m => m[1])).toEqual(['2', '2']);
  });

  it('confusionSvg writes each count and shades by the row share', () => {
    const svg = confusionSvg([[8, 2], [1, 3]], ['a', 'b']);
    expect([...svg.matchAll(/class="cell-text[^"]*"[^>]*>(\d+)</g)].map(m => m[1])).toEqual(['8', '2', '1', '3']);
    expect(svg).toContain('fill-opacity="0.812"'); // 0.06 + 0.94 · 0.8
    expect(svg).toContain('>75%<');
  });
});
