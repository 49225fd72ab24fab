/**
 * dwb-shuttle: Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class
 * Imbalanced Learning and Confidence Calibration of Deep Neural Networks"
 * (IEEE TNNLS 2021), Tables II-IV style, on an extreme-imbalance tabular set we
 * can get: UCI Statlog (Shuttle) from mlbench, 58 000 rows x 9, 7 classes
 * 45 586 ... 10 (ratio 4559). CE, WCE, focal (γ = 2) and DWB on the same MLP
 * (one `imb.compare.run`): stratified 50/50 split per seed, each feature scaled
 * to [0, 1] on the training half as the paper does (`--scaling standard`:
 * z-scores instead); per-class and macro F1, Brier (eq. 19), ECE (15 bins) on the
 * test half after two training budgets of the same runs (default 20 and 100 epochs).
 */
import type {MethodSpec} from '../../src/compare';
import {compactResult, compareRun, evaluationsOf, failures, mdTable, mean, meanSd, Preset, ReproContext, reproDataset, sd} from './lib';

export const SHUTTLE_CLASSES = ['Rad.Flow', 'Fpv.Close', 'Fpv.Open', 'High', 'Bypass', 'Bpv.Close', 'Bpv.Open'];

type MethodName = 'CE' | 'WCE' | 'focal' | 'DWB';
const METHODS: MethodName[] = ['CE', 'WCE', 'focal', 'DWB'];

/** The engine's method for each arm (softmax probabilities in, as in the paper). */
const SPECS: Record<MethodName, MethodSpec> = {
  CE: {method: 'ce', label: 'CE'},
  WCE: {method: 'wce', label: 'WCE'}, // n/(C n_j)
  focal: {method: 'focal', label: 'focal', options: {focal: {gamma: 2}}},
  DWB: {method: 'dwb', label: 'DWB'}, // eq. 8 weights, true-class regulariser
};

/** One evaluation: macro / per-class F1, Brier, ECE. */
interface Scores {macroF1: number; perClassF1: number[]; brier: number; ece: number}

export const dwbShuttle: Preset = {
  name: 'dwb-shuttle',
  title: 'DWB (Fernando & Tsokos 2021), Tables II-IV style, on UCI Shuttle (7 classes, 45 586 ... 10 rows)',
  async run(ctx: ReproContext) {
    const seeds = ctx.num('seeds', 3, 1);
    const budgets = ctx.str('budgets', '20,100', '1,2').split(',').map(Number);
    const batchSize = ctx.num('batch', 512);
    const hidden = ctx.str('hidden', '64,64').split(',').map(Number);
    const lr = ctx.num('lr', 1e-3);
    const scaling = ctx.str('scaling', 'minmax');
    if (scaling !== 'minmax' && scaling !== 'standard') throw new Error(`--scaling: minmax or standard, got ${scaling}`);
    const full = reproDataset('shuttle', SHUTTLE_CLASSES);
    const settings = {
      data: 'mlbench Shuttle (UCI Statlog Shuttle, training + test files), 58000 x 9, 7 classes',
      split: 'stratified 50/50 per seed (rarest classes: 5 + 5 and 6 + 7 rows); imb.compare.run, seeds = repeats (the engine\'s seeds)',
      scaling: scaling === 'minmax' ? 'each feature to [0, 1] with the training half\'s min and max (the paper)' : 'z-scores with the training half\'s mean and sd',
      model: `the engine's MLP 9-${hidden.join('-')}-7 ReLU, softmax`, optimizer: `Adam lr ${lr}`, batchSize, budgets, seeds,
      methods: {CE: 'ce (categoricalCrossentropy)', WCE: 'wce: sklearn "balanced" weights n/(C n_j)', focal: 'focal γ = 2, no α', DWB: 'dwb, eq. 8 weights, trueClass regulariser'},
    };
    const result = await compareRun(ctx, 'shuttle', full, {
      methods: METHODS.map(m => SPECS[m]), epochs: budgets, batchSize, learningRate: lr, hidden, repeats: seeds, monitor: null,
      splits: {kind: 'stratified', validation: 0, test: 0.5}, standardize: scaling === 'minmax' ? 'minmax' : true, metrics: ['macroF1', 'brier', 'ece'], bins: 15, dataName: 'shuttle',
    });
    const scores = (m: MethodName, b: number): Scores[] => evaluationsOf(result, m, b).map(e => ({
      macroF1: e.metrics.macroF1, perClassF1: e.perClass.f1.map(v => (Number.isFinite(v) ? v : 0)), brier: e.metrics.brier, ece: e.metrics.ece,
    }));
    const trainCounts = result.runs[result.runs.length - 1].rows.trainCounts;

    const parts: string[] = [`Training counts (repeat ${seeds}): ${trainCounts.map((n, k) => `${SHUTTLE_CLASSES[k]} ${n}`).join(', ')}. ` +
      `Mean ± sd over ${seeds} seed${seeds > 1 ? 's' : ''} (split, initial weights and batch order change with the seed; every loss sees the same ones).`];
    for (const b of budgets) {
      parts.push(`\n**After ${b} epoch${b > 1 ? 's' : ''}** (macro F1 and per-class F1 in %):\n`);
      parts.push(mdTable(
        ['loss', 'macro F1', 'Brier (eq. 19)', 'ECE (15 bins)', ...SHUTTLE_CLASSES.map((c, k) => `F1 ${c} (${trainCounts[k]})`)],
        METHODS.map(m => {
          const s = scores(m, b);
          return [m, meanSd(s.map(x => x.macroF1), 2, 100), meanSd(s.map(x => x.brier), 4), meanSd(s.map(x => x.ece), 4),
            ...SHUTTLE_CLASSES.map((_, k) => mean(s.map(x => 100 * x.perClassF1[k])).toFixed(1))];
        }),
      ));
    }
    const failed = failures(result);
    if (failed.length) parts.push(`\nFailed runs (left out of the means): ${failed.join('; ')}.`);
    const results = Object.fromEntries(budgets.map(b => [b, Object.fromEntries(METHODS.map(m => {
      const s = scores(m, b);
      return [m, {perSeed: s, macroF1: {mean: mean(s.map(x => x.macroF1)), sd: sd(s.map(x => x.macroF1))},
        brier: {mean: mean(s.map(x => x.brier)), sd: sd(s.map(x => x.brier))}, ece: {mean: mean(s.map(x => x.ece)), sd: sd(s.map(x => x.ece))}}];
    }))]));
    return {settings, markdown: parts.join('\n'), results: {...results, compare: compactResult(result)}};
  },
};
