/**
 * The comparison report: one self-contained HTML page (inline CSS and SVG,
 * no script, no network) drawn from a `compare.run` result. Sections: the
 * results table; how to read a reliability diagram; per method a reliability
 * diagram with bin counts, the confusion matrix, per-class recall and the
 * training curves; the configuration and every run. Readable at 1280 px and
 * printable (figures scale to the page).
 */
import type {CompareResult, Evaluation, RunResult} from '../compare/types';
import {CHART_CSS} from './chartCss';
import {confusionSvg} from './confusion';
import {curvesSvg, CurvePanel} from './curves';
import {binsEce, poolBins, reliabilitySvg} from './reliability';
import {recallBarsSvg} from './recall';
import {checkKeys} from '../core/validate';
import {escapeHtml, fmt} from './svg';
import {anchor, htmlTable} from './table';
import {stat} from '../compare/summary';

/** Options of {@link renderHtml}. */
export interface RenderOptions {
  /** Page title. Default `tfjs-imbalanced compare: <data name>`. */
  title?: string;
  /** Budget (epochs) the figures show. Default the largest. */
  budget?: number;
}

/** The page's own styles; the charts' styles are CHART_CSS. */
const CSS = `
:root { --ink: #1d232b; --muted: #5d6875; --line: #d9dee4; --bg: #f6f7f9; --red: #e45756; --best: #e3f1e0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0; }
p { margin: 6px 0; }
.sub, .note, .desc { color: var(--muted); }
.note { font-size: 12.5px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg); padding: 1px 4px; border-radius: 3px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 10px 0 0; padding: 0; list-style: none; }
.facts li { color: var(--muted); } .facts b { color: var(--ink); font-weight: 600; }
table { border-collapse: collapse; }
table.results { width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
table.results th, table.results td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.results thead th { font-weight: 600; border-bottom: 2px solid var(--ink); vertical-align: bottom; white-space: normal; }
table.results th[scope=row], table.results thead th:first-child { text-align: left; }
table.results th[scope=row] a { color: var(--ink); text-decoration: none; font-weight: 600; }
table.results tr.calibrated th[scope=row] a { font-weight: 400; color: var(--muted); }
table.results td.best { background: var(--best); font-weight: 700; }
.sd { color: var(--muted); font-weight: 400; font-size: 11.5px; }
.dir { color: var(--muted); font-weight: 400; }
.failed { color: var(--red); font-size: 11.5px; font-weight: 400; }
.howto { display: grid; grid-template-columns: 300px 1fr; gap: 20px; align-items: start; background: var(--bg); border-radius: 6px; padding: 14px 18px; margin-top: 18px; }
.howto h2 { border: 0; margin: 0 0 6px; padding: 0; font-size: 16px; }
.howto ul { margin: 4px 0 0; padding-left: 18px; } .howto li { margin: 3px 0; }
section.method { border-top: 1px solid var(--line); padding: 16px 0 8px; break-inside: avoid; page-break-inside: avoid; }
.method-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 14px; margin-bottom: 8px; }
.figures { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; align-items: start; }
figure { margin: 0; }
figcaption { font-size: 12.5px; font-weight: 600; margin-bottom: 2px; }
figcaption span { font-weight: 400; color: var(--muted); }
table.config td, table.config th, table.runs td, table.runs th { padding: 3px 10px 3px 0; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); font-size: 12.5px; }
table.runs td.num { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: var(--red); }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media (max-width: 1000px) { .figures { grid-template-columns: repeat(2, minmax(0, 1fr)); } .two, .howto { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table.results { font-size: 9pt; }
  table.results th, table.results td { padding: 3px 5px; }
  td.best { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .howto { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The evaluations of `method` for one budget and variant, one per successful repeat. */
function evaluationsOf(runs: RunResult[], method: string, budget: number, calibrated: boolean): Evaluation[] {
  return runs.filter(r => r.method === method && !r.error)
    .map(r => r.evaluations.find(e => e.budget === budget && e.calibrated === calibrated))
    .filter((e): e is Evaluation => e !== undefined);
}

/** Element-wise sum of matrices of one size. */
function sumMatrices(ms: number[][][]): number[][] {
  if (ms.length === 0) return [];
  return ms[0].map((row, i) => row.map((_, j) => ms.reduce((a, m) => a + (m[i]?.[j] ?? 0), 0)));
}

/** Curves of the loss and the monitored metric, per repeat. */
function curvePanels(runs: RunResult[], monitor: string | null, metricLabel: (key: string) => string): CurvePanel[] {
  const series = (key: string) => runs.map(r => r.history[key] ?? []);
  const panels: CurvePanel[] = [{label: 'loss', train: series('loss'), validation: series('val_loss')}];
  const key = monitor && monitor.replace(/^val_/, '') !== 'loss' ? monitor.replace(/^val_/, '') : 'ece';
  if (runs.some(r => r.history[key] || r.history[`val_${key}`])) {
    panels.push({label: metricLabel(key), train: series(key), validation: series(`val_${key}`)});
  }
  return panels;
}

/** Pooled raw reliability bins of a method at `budget` (empty when every run failed). */
function pooledBins(result: CompareResult, method: string, budget: number) {
  return poolBins(evaluationsOf(result.runs, method, budget, false).map(e => e.reliability));
}

/** A bulleted "how to read" box, with the diagram of the least calibrated method as the example. */
function howTo(result: CompareResult, budget: number): string {
  const candidates = result.methods.map(m => ({label: m.label, bins: pooledBins(result, m.label, budget)})).filter(c => c.bins.length > 0);
  const worst = candidates.reduce<(typeof candidates)[number] | null>((a, c) => (a === null || binsEce(c.bins) > binsEce(a.bins) ? c : a), null);
  const example = worst
    ? `${reliabilitySvg(worst.bins, {title: `example: ${worst.label}`})}<p class="note">Example: <b>${escapeHtml(worst.label)}</b>, the least calibrated method here (pooled ECE ${fmt(binsEce(worst.bins))}).</p>`
    : '';
  const ts = result.config.temperatureScale
    ? 'A <b>+ TS</b> row (temperature scaling fitted on the validation rows; orange line in the diagrams) shows how much of that is fixed after training, without changing a single decision.'
    : 'Temperature scaling (<code>--temperature-scale</code>) shows how much of that is fixed after training, without changing a single decision.';
  return `<aside class="howto"><div>${example}</div><div>
<h2>How to read a reliability diagram</h2>
<p>Each prediction's <b>confidence</b> is its top-label probability (the probability of the class it predicts). Predictions are grouped into ${result.config.bins} equal-width confidence bins.</p>
<ul>
<li>The <b>blue bar</b> of a bin is the <b>accuracy</b> of the predictions in it; the dark line joins each bin's (mean confidence, accuracy).</li>
<li>The <b>dashed diagonal</b> is perfect calibration: among predictions made with 80% confidence, 80% are right.</li>
<li>The <b>red gap</b> is the distance to the bin's mean confidence. Bars below the diagonal mean <b>over-confidence</b> (the model claims more than it delivers), above it <b>under-confidence</b>.</li>
<li>The grey <b>histogram</b> below counts the predictions per bin (numbers written out): a bin with few rows says little, and <b>ECE</b> is the count-weighted mean gap, so the crowded bins dominate it.</li>
<li>On imbalanced data most predictions are confident majority-class calls, so the last bin holds most rows; re-weighting and resampling shift probability towards the minority class and usually open gaps in the middle bins. ${ts}</li>
</ul>
<p class="note">The diagrams pool the test rows of every repeat; the ECE in the table is the mean over repeats of each split's own ECE.</p></div></aside>`;
}

function methodSection(result: CompareResult, index: number, budget: number): string {
  const {label, description} = result.methods[index];
  const runs = result.runs.filter(r => r.method === label);
  const failed = runs.filter(r => r.error);
  const raw = evaluationsOf(result.runs, label, budget, false);
  const cal = evaluationsOf(result.runs, label, budget, true);
  const classNames = result.data.classNames;
  const metricLabel = (key: string) => result.metrics.find(m => m.key === key)?.label ?? key;
  const figures: string[] = [];
  if (raw.length > 0) {
    const bins = poolBins(raw.map(e => e.reliability));
    const calBins = cal.length ? poolBins(cal.map(e => e.reliability)) : undefined;
    const temps = cal.map(e => e.temperature!).filter(Number.isFinite);
    const tsNote = calBins ? `; + TS ${fmt(binsEce(calBins))}, T = ${fmt(stat(temps).mean, 2)}` : '';
    figures.push(`<figure><figcaption>Reliability <span>pooled ECE ${fmt(binsEce(bins))}${tsNote} · ${bins.reduce((a, b) => a + b.count, 0)} test rows</span></figcaption>${
      reliabilitySvg(bins, {overlay: calBins, title: `reliability diagram of ${label}`})}</figure>`);
    const m = sumMatrices(raw.map(e => e.confusion));
    const thr = raw[0].threshold;
    figures.push(`<figure><figcaption>Confusion matrix <span>summed over ${raw.length} test split${raw.length === 1 ? '' : 's'}${thr !== null ? `, threshold ${result.config.threshold === 'tuned' ? `tuned (${raw.map(e => fmt(e.threshold!, 2)).join(', ')})` : fmt(thr, 2)}` : ''}</span></figcaption>${
      confusionSvg(m, classNames, `confusion matrix of ${label}`)}</figure>`);
    const recalls = classNames.map((_, k) => stat(raw.map(e => e.perClass.recall[k])));
    figures.push(`<figure><figcaption>Recall per class</figcaption>${recallBarsSvg(recalls.map(s => s.mean), recalls.map(s => s.sd), classNames, `recall per class of ${label}`)}</figure>`);
  }
  const ok = runs.filter(r => !r.error);
  if (ok.length > 0) {
    figures.push(`<figure><figcaption>Training curves <span>${ok.length} repeat${ok.length === 1 ? '' : 's'}; ○ best epoch</span></figcaption>${
      curvesSvg(curvePanels(ok, result.config.monitor, metricLabel), {bestEpochs: ok.map(r => r.bestEpoch), title: `training curves of ${label}`})}</figure>`);
  }
  const errors = failed.map(r => `<p class="error">repeat ${r.repeat + 1} failed: ${escapeHtml(r.error)}</p>`).join('');
  return `<section class="method" id="${anchor(result, label)}"><div class="method-head"><h3>${escapeHtml(label)}</h3><span class="desc">${escapeHtml(description)}</span></div>${errors}<div class="figures">${figures.join('')}</div></section>`;
}

function configSection(result: CompareResult): string {
  const c = result.config;
  const rows: [string, string][] = [
    ['data', `${result.data.name}: ${result.data.numRows} rows, features [${result.data.featureShape.join(', ')}], ${result.data.numClasses} classes`],
    ['classes', result.data.classNames.map((n, k) => `${k} = ${n} (${result.data.classCounts[k]})`).join(', ')],
    ['split', `${c.splits}, ${c.repeats} repeat${c.repeats === 1 ? '' : 's'}, seed ${c.seed}${c.standardize === 'minmax' ? ", features scaled to [0, 1] with the training rows' min and max" : c.standardize ? ', features standardised on the training rows' : ''}`],
    ['model', `${c.customModel ? 'custom model builder' : `MLP ${[...(c.hidden ?? [])].join('-')} (ReLU, He-normal)`}, ${c.fromLogits ? 'linear output (logits)' : 'softmax output'}`],
    ['training', `Adam lr ${c.learningRate}, batch ${c.batchSize}, ${c.epochs.join(' / ')} epochs${c.monitor ? `; best epoch by ${c.monitor} (exact, callbacks.ExactMetrics), early stop after ${c.patience === null || !Number.isFinite(c.patience) ? '—' : c.patience} epochs without improvement, best weights restored` : ''}`],
    ['decision', result.data.numClasses === 2 ? (c.threshold === 'tuned' ? `P(class 1) > threshold tuned on the validation rows for ${c.thresholdMetric}` : `P(class 1) > ${c.threshold}`) : 'argmax'],
    ['calibration', c.temperatureScale ? 'temperature scaling fitted on the validation rows (+ TS rows)' : 'none'],
    ['metrics', `${result.metrics.map(m => m.label).join(', ')}; ECE with ${c.bins} bins`],
    ['costs', c.costs ? JSON.stringify(c.costs) : 'none'],
    ['environment', `tfjs-imbalanced ${result.environment.library}, tfjs ${result.environment.tfjs}, backend ${result.environment.backend}`],
    ['wall time', `${fmt(result.seconds, 1)} s`],
  ];
  const command = result.extra?.command;
  if (typeof command === 'string') rows.push(['command', `<code>${escapeHtml(command)}</code>`]);
  const configRows = rows.map(([k, v]) => `<tr><th>${k}</th><td>${k === 'command' ? v : escapeHtml(v)}</td></tr>`).join('');
  const methods = result.methods.map(m => `<tr><th>${escapeHtml(m.label)}</th><td>${escapeHtml(m.description)}</td></tr>`).join('');
  const runs = result.runs.map(r => {
    const main = r.evaluations.find(e => !e.calibrated && e.budget === c.epochs[c.epochs.length - 1]);
    const key = c.monitor ? c.monitor.replace(/^val_/, '') : 'gmean';
    const value = main?.metrics[key] ?? main?.metrics.gmean;
    return `<tr><td>${escapeHtml(r.method)}</td><td class="num">${r.repeat + 1}</td><td class="num">${r.bestEpoch} / ${r.epochsRun}</td><td class="num">${fmt(value)}</td><td class="num">${fmt(r.seconds, 1)}</td><td class="num">${r.seeds.split} / ${r.seeds.init} / ${r.seeds.data}</td><td class="${r.error ? 'error' : ''}">${r.error ? escapeHtml(r.error) : main?.threshold != null ? `threshold ${fmt(main.threshold, 3)}` : ''}</td></tr>`;
  }).join('');
  const testKey = c.monitor ? metricLabelOf(result, c.monitor.replace(/^val_/, '')) : 'g-mean';
  return `<h2>Configuration</h2><div class="two"><div><table class="config">${configRows}</table></div><div><table class="config">${methods}</table></div></div>
<h2>Runs</h2><table class="runs"><thead><tr><th>method</th><th>repeat</th><th>best / run epochs</th><th>test ${escapeHtml(testKey)}</th><th>seconds</th><th>seeds split / init / data</th><th></th></tr></thead><tbody>${runs}</tbody></table>`;
}

function metricLabelOf(result: CompareResult, key: string): string {
  return result.metrics.find(m => m.key === key)?.label ?? key;
}

/** The report page for `result` as one HTML string. */
export function renderHtml(result: CompareResult, options: RenderOptions = {}): string {
  checkKeys('renderHtml', options, ['title', 'budget']);
  const budget = options.budget ?? result.config.epochs[result.config.epochs.length - 1];
  const title = options.title ?? `tfjs-imbalanced compare: ${result.data.name}`;
  const d = result.data;
  const c = result.config;
  const counts = d.classNames.map((n, k) => `${n} ${d.classCounts[k]}`).join(' · ');
  const failed = result.runs.filter(r => r.error).length;
  const facts = [
    `<li><b>${d.numRows}</b> rows × <b>${d.featureShape.join(' × ')}</b> features</li>`,
    `<li><b>${d.numClasses}</b> classes: ${escapeHtml(counts)}</li>`,
    `<li>imbalance ratio <b>${fmt(d.imbalanceRatio, 1)}</b></li>`,
    `<li><b>${c.repeats}</b> repeat${c.repeats === 1 ? '' : 's'} · ${escapeHtml(c.splits)}</li>`,
    `<li>backend <b>${escapeHtml(result.environment.backend)}</b> · ${fmt(result.seconds, 0)} s</li>`,
  ].join('');
  const several = c.epochs.length > 1;
  const tables = several
    ? c.epochs.map(b => `<h3 style="margin-top:14px">${b} epochs</h3>${htmlTable(result, {budget: b})}`).join('')
    : htmlTable(result);
  const decision = d.numClasses === 2 ? (c.threshold === 'tuned' ? `decisions at a threshold tuned on the validation rows (${c.thresholdMetric})` : `decisions at P(class 1) > ${c.threshold}`) : 'decisions by argmax';
  const notes = `Mean ± sd over ${c.repeats} repeat${c.repeats === 1 ? '' : 's'} on the test rows; ↑ higher is better, ↓ lower; highlighted: best in its column. ${
    c.monitor ? `Each run is evaluated at its best epoch by ${c.monitor}. ` : ''}${decision[0].toUpperCase()}${decision.slice(1)}.${failed ? ` <span class="error">${failed} run${failed === 1 ? '' : 's'} failed (see Runs).</span>` : ''}`;
  const sections = result.methods.map((_, i) => methodSection(result, i, budget)).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}${CHART_CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="sub">Which method works on this data, and are its probabilities still calibrated?</p>
<ul class="facts">${facts}</ul>
<h2>Results</h2>
${tables}
<p class="note">${notes}</p>
${howTo(result, budget)}
<h2>Methods${several ? ` (figures at ${budget} epochs)` : ''}</h2>
${sections}
${configSection(result)}
<footer>Made by <code>tfjs-imbalanced compare</code> ${escapeHtml(result.environment.library)}. Self-contained: no scripts, no network.</footer>
</main></body></html>
`;
}
