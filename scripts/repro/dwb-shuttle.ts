/**
 * dwb-shuttle: Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class
 * Imbalanced Learning and Confidence Calibration of Deep Neural Networks"
 * (IEEE TNNLS 2021), Tables II-IV style, on an extreme-imbalance tabular set we
 * can get: UCI Statlog (Shuttle) from mlbench, 58 000 rows x 9, 7 classes
 * 45 586 ... 10 (ratio 4559). CE, WCE, focal (γ = 2) and DWB on the same MLP,
 * stratified 50/50 split per seed, min-max scaled; per-class and macro F1, Brier
 * (eq. 19), ECE (15 bins) on the test half after two training budgets of the
 * same runs (default 20 and 100 epochs).
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {
  countsOf, fitSeeded, mdTable, mean, meanSd, minMaxRows, mlp, predictRows, Preset, ReproContext, reproDataset, sd,
  stratifiedHoldout, tensorsOf,
} from './lib';

export const SHUTTLE_CLASSES = ['Rad.Flow', 'Fpv.Close', 'Fpv.Open', 'High', 'Bypass', 'Bpv.Close', 'Bpv.Open'];

type MethodName = 'CE' | 'WCE' | 'focal' | 'DWB';
const METHODS: MethodName[] = ['CE', 'WCE', 'focal', 'DWB'];

/** The loss of each arm (softmax probabilities in, as in the paper). */
function lossFor(name: MethodName, counts: number[]): string | imb.losses.LossFunction {
  if (name === 'CE') return 'categoricalCrossentropy';
  if (name === 'WCE') return imb.losses.weightedCrossEntropy({classWeights: imb.losses.inverseFrequencyWeights(counts)});
  if (name === 'focal') return imb.losses.focal({gamma: 2});
  return imb.losses.dwb({classCounts: counts});
}

/** One evaluation: macro / per-class F1, Brier, ECE. */
interface Scores {macroF1: number; perClassF1: number[]; brier: number; ece: number}

function score(labels: number[], probs: number[][]): Scores {
  const f1 = imb.metrics.f1({average: 'none'});
  const macro = imb.metrics.f1({average: 'macro'});
  const brier = imb.metrics.brier();
  const ece = imb.metrics.ece({bins: 15});
  for (const m of [f1, macro, brier, ece]) m.update(labels, probs);
  return {macroF1: macro.result(), perClassF1: f1.result(), brier: brier.result(), ece: ece.result()};
}

export const dwbShuttle: Preset = {
  name: 'dwb-shuttle',
  title: 'DWB (Fernando & Tsokos 2021), Tables II-IV style, on UCI Shuttle (7 classes, 45 586 ... 10 rows)',
  async run(ctx: ReproContext) {
    const seeds = ctx.num('seeds', 3, 1);
    const budgets = ctx.str('budgets', '20,100', '1,2').split(',').map(Number);
    const batchSize = ctx.num('batch', 512);
    const hidden = ctx.str('hidden', '64,64').split(',').map(Number);
    const lr = ctx.num('lr', 1e-3);
    const full = reproDataset('shuttle', SHUTTLE_CLASSES);
    const K = full.numClasses;
    const all = Array.from({length: full.numRows}, (_, i) => i);
    const epochs = Math.max(...budgets);
    const settings = {
      data: 'mlbench Shuttle (UCI Statlog Shuttle, training + test files), 58000 x 9, 7 classes',
      split: 'stratified 50/50 per seed (rarest classes: 5 + 5 and 6 + 7 rows)', scaling: 'min-max [0, 1] fitted on the training half',
      model: `MLP 9-${hidden.join('-')}-7 ReLU, softmax`, optimizer: `Adam lr ${lr}`, batchSize, budgets, seeds,
      methods: {CE: "tfjs categoricalCrossentropy", WCE: 'weightedCrossEntropy, sklearn "balanced" weights n/(C n_j)', focal: 'focal γ = 2, no α', DWB: 'dwb, eq. 8 weights, trueClass regulariser'},
    };
    // runs[budget][method] = per-seed scores
    const runs = new Map<number, Map<MethodName, Scores[]>>(budgets.map(b => [b, new Map(METHODS.map(m => [m, [] as Scores[]]))]));
    let trainCounts: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const {rest: train, held: test} = stratifiedHoldout(all, full.labels, 0.5, 1000 + seed);
      trainCounts = countsOf(full.labels, train, K);
      const scaled = minMaxRows(full, train);
      const tr = tensorsOf(scaled, train);
      const te = tensorsOf(scaled, test);
      const testLabels = Array.from(te.ys.dataSync());
      const targets = tf.oneHot(tr.ys, K);
      for (const method of METHODS) {
        const t0 = Date.now();
        const model = mlp({inputDim: full.numFeatures, hidden, outputs: K, outputActivation: 'softmax', seed});
        const loss = lossFor(method, trainCounts);
        const optimizer = tf.train.adam(lr);
        model.compile({optimizer, loss: loss as string});
        await fitSeeded(model, tr.xs, targets, {
          epochs, batchSize, seed,
          afterEpoch: epoch => {
            if (!budgets.includes(epoch)) return;
            const s = score(testLabels, predictRows(model, te.xs));
            runs.get(epoch)?.get(method)?.push(s);
            ctx.log(`seed ${seed} ${method.padEnd(5)} epoch ${String(epoch).padStart(3)}: macro F1 ${s.macroF1.toFixed(4)}, ` +
              `Brier ${s.brier.toFixed(5)}, ECE ${s.ece.toFixed(4)}, rare-class F1 ${s.perClassF1.slice(1).map(v => v.toFixed(2)).join('/')} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
          },
        });
        model.dispose();
        optimizer.dispose();
        if (typeof loss !== 'string') loss.dispose?.();
      }
      tf.dispose([tr.xs, tr.ys, te.xs, te.ys, targets]);
    }

    const parts: string[] = [`Training counts (seed ${seeds - 1}): ${trainCounts.map((n, k) => `${SHUTTLE_CLASSES[k]} ${n}`).join(', ')}. ` +
      `Mean ± sd over ${seeds} seed${seeds > 1 ? 's' : ''} (split, initial weights and batch order change with the seed; every loss sees the same ones).`];
    for (const b of budgets) {
      const byMethod = runs.get(b) as Map<MethodName, Scores[]>;
      parts.push(`\n**After ${b} epoch${b > 1 ? 's' : ''}** (macro F1 and per-class F1 in %):\n`);
      parts.push(mdTable(
        ['loss', 'macro F1', 'Brier (eq. 19)', 'ECE (15 bins)', ...SHUTTLE_CLASSES.map((c, k) => `F1 ${c} (${trainCounts[k]})`)],
        METHODS.map(m => {
          const s = byMethod.get(m) as Scores[];
          return [m, meanSd(s.map(x => x.macroF1), 2, 100), meanSd(s.map(x => x.brier), 4), meanSd(s.map(x => x.ece), 4),
            ...SHUTTLE_CLASSES.map((_, k) => mean(s.map(x => 100 * x.perClassF1[k])).toFixed(1))];
        }),
      ));
    }
    const results = Object.fromEntries(budgets.map(b => [b, Object.fromEntries(METHODS.map(m => {
      const s = runs.get(b)?.get(m) as Scores[];
      return [m, {perSeed: s, macroF1: {mean: mean(s.map(x => x.macroF1)), sd: sd(s.map(x => x.macroF1))},
        brier: {mean: mean(s.map(x => x.brier)), sd: sd(s.map(x => x.brier))}, ece: {mean: mean(s.map(x => x.ece)), sd: sd(s.map(x => x.ece))}}];
    }))]));
    return {settings, markdown: parts.join('\n'), results};
  },
};
