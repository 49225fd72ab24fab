/**
 * crcen-table3: Li & Zhu, "CRCEN: A Generalized Cost-sensitive Neural Network
 * Approach for Imbalanced Classification", Table 3 style (F1 and g-mean of the
 * minority class at threshold 0.5) for MLP-CE, CRCEN, SMOTE+MLP and
 * ADASYN+MLP on two tabular sets, stratified 75/25 x 4; plus the §4.2 expense
 * sweep (Fig. 1) on satimage. One `imb.compare.run` per dataset; on satimage
 * it also trains CRCEN at the sweep's other cost multipliers.
 *
 * Sets: satimage (damp grey soil vs rest, IR 9.3; one of the paper's six,
 * shipped in data/) and letter_img (Z vs rest, IR 26; imbalanced-learn's
 * benchmark version of UCI Letter, the collection the paper's six come from,
 * built here from mlbench's LetterRecognition).
 */
import * as imb from '../../src';
import type {MethodSpec} from '../../src/compare';
import {parseSatimage} from '../../src/datasets';
import {readShipped} from '../../src/node/datasets';
import {TabularDataset, relabel} from '../../src/datasets/tabular';
import {
  column, compactResult, compareRun, evaluationsOf, failures, mdTable, mean, meanSd, Preset, predictProbabilities, ReproContext, reproDataset, sd,
} from './lib';

type MethodName = 'MLP' | 'CRCEN' | 'SMOTE+MLP' | 'ADASYN+MLP';
const METHODS: MethodName[] = ['MLP', 'CRCEN', 'SMOTE+MLP', 'ADASYN+MLP'];

/** The paper's Table 3 (F1 / g-mean) where the dataset is one of its six. */
const PAPER: Record<string, Record<MethodName, [number, number]> | null> = {
  satimage: {'MLP': [0.554, 0.668], 'CRCEN': [0.626, 0.894], 'SMOTE+MLP': [0.624, 0.891], 'ADASYN+MLP': [0.583, 0.898]},
  letter_img: null,
};

/** The engine's method for each of the paper's. */
const SPECS: Record<MethodName, MethodSpec> = {
  'MLP': {method: 'ce', label: 'MLP'},
  'CRCEN': {method: 'crcen', label: 'CRCEN'}, // λ = N0/(N0+N1): cost multiplier a = 1
  'SMOTE+MLP': {method: 'smote', label: 'SMOTE+MLP', options: {smote: {k: 5}}},
  'ADASYN+MLP': {method: 'adasyn', label: 'ADASYN+MLP', options: {adasyn: {k: 5}}},
};

/** The expense sweep (§4.2): plain CE (λ = 1/2), then CRCEN at a = 0.5, 1, 1.5, 2 (a = 1 is the table's CRCEN). */
const SWEEP: {setting: string; a: number | null; method: string}[] = [
  {setting: 'λ = 1/2 (plain CE)', a: null, method: 'MLP'},
  {setting: 'a = 0.5', a: 0.5, method: 'CRCEN a = 0.5'},
  {setting: 'a = 1', a: 1, method: 'CRCEN'},
  {setting: 'a = 1.5', a: 1.5, method: 'CRCEN a = 1.5'},
  {setting: 'a = 2', a: 2, method: 'CRCEN a = 2'},
];

function datasets(): {name: string; ds: TabularDataset; note: string}[] {
  const sat = parseSatimage(readShipped('satimage'), {task: 'binary'});
  const letter = reproDataset('letter');
  const z = relabel(letter, y => (y === 25 ? 1 : 0), ['rest', 'Z']);
  return [
    {name: 'satimage', ds: sat, note: 'damp grey soil vs rest, 626 : 5809'},
    {name: 'letter_img', ds: z, note: 'Z vs rest, 734 : 19266'},
  ];
}

/** F1, g-mean and the error counts of one run at threshold 0.5 (eq. 6's sides for CRCEN). */
interface RunScores {f1: number; gmean: number; fn: number; fp: number; lhs6?: number; rhs6?: number}

export const crcenTable3: Preset = {
  name: 'crcen-table3',
  title: 'CRCEN (Li & Zhu), Table 3 style on satimage and letter_img, plus the §4.2 expense sweep',
  async run(ctx: ReproContext) {
    const splits = ctx.num('splits', 4, 1);
    const epochs = ctx.num('epochs', 20, 2);
    const batchSize = ctx.num('batch', 64);
    const hidden = ctx.num('hidden', 32);
    const l2 = ctx.num('l2', 1e-4);
    const only = ctx.str('datasets', 'satimage,letter_img', 'satimage').split(',');
    const settings = {
      datasets: only, splits: `stratified 75/25, ${splits} repeats (imb.compare.run, one per dataset; the engine's seeds)`, scaling: 'standardised on the training part',
      model: `compare.mlp([${hidden}], {l2: ${l2}}): d-${hidden}-2 (one hidden ReLU layer = the paper's "3-layer" MLP), 2-unit softmax, L2 on kernels only`,
      optimizer: 'Adam lr 1e-3', epochs, batchSize, threshold: 0.5,
      methods: {'MLP': 'ce', 'CRCEN': 'crcen, λ = N0/(N0+N1)', 'SMOTE+MLP': 'smote k = 5 to 1:1, then CE', 'ADASYN+MLP': 'adasyn k = 5 to 1:1, then CE'},
      sweep: {dataset: 'satimage', costMultipliers: [0.5, 1, 1.5, 2], epochs, note: 'the same comparison as the table: CRCEN at a = 0.5, 1.5, 2 added'},
    };
    const results: Record<string, Record<string, RunScores[]>> = {};
    const notes: Record<string, string> = {};
    const records: Record<string, unknown> = {};
    const failed: string[] = [];
    for (const {name, ds, note} of datasets().filter(d => only.includes(d.name))) {
      notes[name] = note;
      const sweep = name === 'satimage' ? SWEEP.filter(s => s.a !== null && s.a !== 1) : [];
      const methods = [...METHODS.map(m => SPECS[m]), ...sweep.map(s => ({method: 'crcen', label: s.method, options: {crcen: {costMultiplier: s.a}}}))];
      const eq6: {lhs: number; rhs: number}[] = [];
      const result = await compareRun(ctx, name, ds, {
        methods, epochs, batchSize, learningRate: 1e-3, monitor: null, repeats: splits,
        splits: {kind: 'stratified', validation: 0, test: 0.25},
        buildModel: imb.compare.mlp([hidden], {l2}),
        metrics: ['f1', 'gmean'], dataName: name,
        onModel: async (model, run, rows) => {
          if (run.method !== 'CRCEN') return;
          // Eq. 6 on the training data: Σ_S1 (1 − p) / Σ_S0 p against (1 − λ)/λ = N1/N0.
          const p = column(await predictProbabilities(model, rows.train.xs), 2, 1);
          const y = rows.train.labels;
          eq6.push({lhs: imb.losses.eq6Lhs(p.filter((_, i) => y[i] === 1), p.filter((_, i) => y[i] === 0)), rhs: run.rows.trainCounts[1] / run.rows.trainCounts[0]});
        },
      });
      failed.push(...failures(result).map(f => `${name}: ${f}`));
      records[name] = compactResult(result);
      results[name] = Object.fromEntries(methods.map(m => [m.label, evaluationsOf(result, m.label as string).map(e => ({
        f1: e.metrics.f1, gmean: e.metrics.gmean, fn: e.confusion[1][0], fp: e.confusion[0][1],
      }))]));
      results[name].CRCEN.forEach((s, i) => Object.assign(s, {lhs6: eq6[i]?.lhs, rhs6: eq6[i]?.rhs}));
    }

    const parts: string[] = [];
    parts.push(`F1 and g-mean of the minority class at threshold 0.5 on the held-out 25 %, mean ± sd over ${splits} stratified splits; paper = Li & Zhu Table 3.\n`);
    const header = ['method', ...Object.keys(results).flatMap(n => [`${n} F1`, `${n} g-mean`, ...(PAPER[n] ? [`paper F1 / g-mean`] : [])])];
    parts.push(mdTable(header, METHODS.map(m => [m, ...Object.keys(results).flatMap(n => {
      const s = results[n][m];
      const paper = PAPER[n];
      return [meanSd(s.map(x => x.f1)), meanSd(s.map(x => x.gmean)), ...(paper ? [`${paper[m][0].toFixed(3)} / ${paper[m][1].toFixed(3)}`] : [])];
    })])));
    parts.push(`\nDatasets: ${Object.entries(notes).map(([n, t]) => `${n} (${t})`).join('; ')}.`);
    const eq6 = Object.entries(results).map(([n, r]) => `${n}: LHS ${meanSd(r.CRCEN.map(x => x.lhs6 as number))} vs (1−λ)/λ = ${mean(r.CRCEN.map(x => x.rhs6 as number)).toFixed(3)}`);
    parts.push(`\nCRCEN's key equation (eq. 6) on the training data after training: ${eq6.join('; ')}.`);
    let sweepRows: {setting: string; lambda: number; fn: number; fp: number}[] = [];
    if (results.satimage) {
      const counts = (records.satimage as {runs: {method: string; rows: {trainCounts: number[]}}[]}).runs.filter(r => r.method === 'MLP').map(r => r.rows.trainCounts);
      sweepRows = SWEEP.map(s => ({
        setting: s.setting,
        lambda: s.a === null ? 0.5 : mean(counts.map(([n0, n1]) => imb.losses.crcenLambda(n0, n1, s.a as number))),
        fn: mean(results.satimage[s.method].map(x => x.fn)),
        fp: mean(results.satimage[s.method].map(x => x.fp)),
      }));
      parts.push(`\n**Expense sweep** (§4.2, Fig. 1) on satimage, ${epochs} epochs (the same runs as the table), FN / FP on the held-out 25 %, mean over ${splits} split${splits > 1 ? 's' : ''}:\n`);
      parts.push(mdTable(['setting', 'λ', 'FN', 'FP', 'expense ΔFP/ΔFN'], sweepRows.map((r, i) => [
        r.setting, r.lambda.toFixed(4), r.fn.toFixed(1), r.fp.toFixed(1), i === 0 ? '' : imb.losses.expense(sweepRows[i - 1], r).toFixed(2),
      ])));
    }
    if (failed.length) parts.push(`\nFailed runs (left out of the means): ${failed.join('; ')}.`);
    const summary = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, Object.fromEntries(Object.keys(r).map(m => [m, {
      perSplit: r[m], f1: {mean: mean(r[m].map(x => x.f1)), sd: sd(r[m].map(x => x.f1))}, gmean: {mean: mean(r[m].map(x => x.gmean)), sd: sd(r[m].map(x => x.gmean))},
    }]))]));
    return {settings, markdown: parts.join('\n'), results: {table3: summary, paper: PAPER, expenseSweep: sweepRows, compare: records}};
  },
};
