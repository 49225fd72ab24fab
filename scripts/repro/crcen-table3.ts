/**
 * crcen-table3: Li & Zhu, "CRCEN: A Generalized Cost-sensitive Neural Network
 * Approach for Imbalanced Classification", Table 3 style (F1 and g-mean of the
 * minority class at threshold 0.5) for MLP-CE, CRCEN, SMOTE+MLP and
 * ADASYN+MLP on two tabular sets, stratified 75/25 x 4; plus the §4.2 expense
 * sweep (Fig. 1) on satimage.
 *
 * Sets: satimage (damp grey soil vs rest, IR 9.3; one of the paper's six,
 * shipped in data/) and letter_img (Z vs rest, IR 26; imbalanced-learn's
 * benchmark version of UCI Letter, the collection the paper's six come from,
 * built here from mlbench's LetterRecognition).
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {parseSatimage} from '../../src/datasets';
import {readShipped} from '../../src/node/datasets';
import {TabularDataset, relabel} from '../../src/datasets/tabular';
import {
  countsOf, fitSeeded, mdTable, mean, meanSd, mlp, predictRows, Preset, ReproContext, reproDataset, sd,
  standardizeRows, stratifiedHoldout, tensorsOf,
} from './lib';

type MethodName = 'MLP' | 'CRCEN' | 'SMOTE+MLP' | 'ADASYN+MLP';
const METHODS: MethodName[] = ['MLP', 'CRCEN', 'SMOTE+MLP', 'ADASYN+MLP'];

/** The paper's Table 3 (F1 / g-mean) where the dataset is one of its six. */
const PAPER: Record<string, Record<MethodName, [number, number]> | null> = {
  satimage: {'MLP': [0.554, 0.668], 'CRCEN': [0.626, 0.894], 'SMOTE+MLP': [0.624, 0.891], 'ADASYN+MLP': [0.583, 0.898]},
  letter_img: null,
};

function datasets(): {name: string; ds: TabularDataset; note: string}[] {
  const sat = parseSatimage(readShipped('satimage'), {task: 'binary'});
  const letter = reproDataset('letter');
  const z = relabel(letter, y => (y === 25 ? 1 : 0), ['rest', 'Z']);
  return [
    {name: 'satimage', ds: sat, note: 'damp grey soil vs rest, 626 : 5809'},
    {name: 'letter_img', ds: z, note: 'Z vs rest, 734 : 19266'},
  ];
}

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
    const sweepEpochs = ctx.num('sweep-epochs', 20, 2);
    const only = ctx.str('datasets', 'satimage,letter_img', 'satimage').split(',');
    const settings = {
      datasets: only, splits: `stratified 75/25, ${splits} seeds`, scaling: 'standardised on the training part',
      model: `MLP d-${hidden}-1 (one hidden ReLU layer = the paper's "3-layer" MLP), sigmoid, L2 ${l2} on kernels only`,
      optimizer: 'Adam lr 1e-3', epochs, batchSize, threshold: 0.5,
      methods: {'MLP': 'binaryCrossentropy', 'CRCEN': 'crcen, λ = N0/(N0+N1)', 'SMOTE+MLP': 'data.smote k = 5 to 1:1, then BCE', 'ADASYN+MLP': 'data.adasyn k = 5 to 1:1, then BCE'},
      sweep: {dataset: 'satimage', alphas: [0.5, 1, 1.5, 2], epochs: sweepEpochs},
    };
    const results: Record<string, Record<MethodName, RunScores[]>> = {};
    const notes: Record<string, string> = {};
    for (const {name, ds, note} of datasets().filter(d => only.includes(d.name))) {
      notes[name] = note;
      const perMethod = Object.fromEntries(METHODS.map(m => [m, [] as RunScores[]])) as Record<MethodName, RunScores[]>;
      results[name] = perMethod;
      const all = Array.from({length: ds.numRows}, (_, i) => i);
      for (let split = 0; split < splits; split++) {
        const {rest: train, held: test} = stratifiedHoldout(all, ds.labels, 0.25, split);
        const scaled = standardizeRows(ds, train);
        const tr = tensorsOf(scaled, train);
        const te = tensorsOf(scaled, test);
        const testLabels = Array.from(te.ys.dataSync());
        const counts = countsOf(ds.labels, train, 2);
        for (const method of METHODS) {
          const t0 = Date.now();
          let xs = tr.xs as tf.Tensor;
          let ys = tr.ys as tf.Tensor;
          if (method === 'SMOTE+MLP') ({xs, ys} = imb.data.smote(tr.xs, tr.ys, {k: 5, seed: split}));
          if (method === 'ADASYN+MLP') ({xs, ys} = imb.data.adasyn(tr.xs, tr.ys, {k: 5, seed: split}));
          const targets = tf.tidy(() => tf.reshape(tf.cast(ys, 'float32'), [-1, 1]));
          const model = mlp({inputDim: ds.numFeatures, hidden: [hidden], outputs: 1, outputActivation: 'sigmoid', l2, seed: split});
          const loss = method === 'CRCEN' ? imb.losses.crcen({classCounts: counts}) : 'binaryCrossentropy';
          const optimizer = tf.train.adam(1e-3);
          model.compile({optimizer, loss: loss as string});
          await fitSeeded(model, xs, targets, {epochs, batchSize, seed: split});
          const probs = predictRows(model, te.xs);
          const s = scoreBinary(testLabels, probs);
          if (method === 'CRCEN') {
            // Eq. 6 on the training data: Σ_S1 (1 − p) / Σ_S0 p against (1 − λ)/λ = N1/N0.
            const trainProbs = predictRows(model, tr.xs).map(r => r[0]);
            const trainLabels = Array.from(tr.ys.dataSync());
            s.lhs6 = imb.losses.eq6Lhs(trainProbs.filter((_, i) => trainLabels[i] === 1), trainProbs.filter((_, i) => trainLabels[i] === 0));
            s.rhs6 = counts[1] / counts[0];
          }
          perMethod[method].push(s);
          ctx.log(`${name} split ${split} ${method.padEnd(10)} F1 ${s.f1.toFixed(3)} g-mean ${s.gmean.toFixed(3)} FN ${s.fn} FP ${s.fp}` +
            `${s.lhs6 !== undefined ? ` eq.6 LHS ${s.lhs6.toFixed(3)} vs ${s.rhs6?.toFixed(3)}` : ''} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
          model.dispose();
          optimizer.dispose();
          if (typeof loss !== 'string') loss.dispose?.();
          tf.dispose(targets);
          if (xs !== tr.xs) tf.dispose([xs, ys]);
        }
        tf.dispose([tr.xs, tr.ys, te.xs, te.ys]);
      }
    }

    // The expense sweep (§4.2, Fig. 1): one model per cost multiplier, FN / FP on the test part, mean over splits.
    const sweep = await expenseSweep(ctx, splits, sweepEpochs, batchSize, hidden, l2);

    const parts: string[] = [];
    parts.push(`F1 and g-mean of the minority class at threshold 0.5 on the held-out 25 %, mean ± sd over ${splits} stratified splits; paper = Li & Zhu Table 3.\n`);
    const header = ['method', ...Object.keys(results).flatMap(n => [`${n} F1`, `${n} g-mean`, ...(PAPER[n] ? [`paper F1 / g-mean`] : [])])];
    parts.push(mdTable(header, METHODS.map(m => [m, ...Object.keys(results).flatMap(n => {
      const s = results[n][m];
      const paper = PAPER[n];
      return [meanSd(s.map(x => x.f1)), meanSd(s.map(x => x.gmean)), ...(paper ? [`${paper[m][0].toFixed(3)} / ${paper[m][1].toFixed(3)}`] : [])];
    })])));
    parts.push(`\nDatasets: ${Object.entries(notes).map(([n, t]) => `${n} (${t})`).join('; ')}.`);
    const eq6 = Object.entries(results).map(([n, r]) => `${n}: LHS ${meanSd(r.CRCEN.map(x => x.lhs6 as number))} vs (1−λ)/λ = ${(r.CRCEN[0].rhs6 as number).toFixed(3)}`);
    parts.push(`\nCRCEN's key equation (eq. 6) on the training data after training: ${eq6.join('; ')}.`);
    parts.push(`\n**Expense sweep** (§4.2, Fig. 1) on satimage, ${sweepEpochs} epochs, FN / FP on the held-out 25 %, mean over ${splits} split${splits > 1 ? 's' : ''}:\n`);
    parts.push(mdTable(['setting', 'λ', 'FN', 'FP', 'expense ΔFP/ΔFN'], sweep.map((r, i) => [
      r.setting, r.lambda.toFixed(4), r.fn.toFixed(1), r.fp.toFixed(1), i === 0 ? '' : imb.losses.expense(sweep[i - 1], r).toFixed(2),
    ])));
    const summary = Object.fromEntries(Object.entries(results).map(([n, r]) => [n, Object.fromEntries(METHODS.map(m => [m, {
      perSplit: r[m], f1: {mean: mean(r[m].map(x => x.f1)), sd: sd(r[m].map(x => x.f1))}, gmean: {mean: mean(r[m].map(x => x.gmean)), sd: sd(r[m].map(x => x.gmean))},
    }]))]));
    return {settings, markdown: parts.join('\n'), results: {table3: summary, paper: PAPER, expenseSweep: sweep}};
  },
};

function scoreBinary(labels: number[], probs: number[][]): RunScores {
  const f1 = imb.metrics.f1({average: 'binary'});
  const g = imb.metrics.gmean();
  f1.update(labels, probs);
  g.update(labels, probs);
  let fn = 0;
  let fp = 0;
  probs.forEach((p, i) => {
    const pred = p[0] > 0.5 ? 1 : 0;
    if (labels[i] === 1 && pred === 0) fn++;
    if (labels[i] === 0 && pred === 1) fp++;
  });
  return {f1: f1.result(), gmean: g.result(), fn, fp};
}

async function expenseSweep(ctx: ReproContext, splits: number, epochs: number, batchSize: number, hidden: number, l2: number) {
  const ds = parseSatimage(readShipped('satimage'), {task: 'binary'});
  const all = Array.from({length: ds.numRows}, (_, i) => i);
  const sums = new Map<string, {setting: string; lambda: number; fn: number; fp: number}>();
  for (let split = 0; split < splits; split++) {
    const {rest: train, held: test} = stratifiedHoldout(all, ds.labels, 0.25, split);
    const scaled = standardizeRows(ds, train);
    const tr = tensorsOf(scaled, train);
    const te = tensorsOf(scaled, test);
    const build = () => mlp({inputDim: ds.numFeatures, hidden: [hidden], outputs: 1, outputActivation: 'sigmoid', l2, seed: split});
    // The split is already in a seeded random order; tfjs' shuffle is not seedable, so keep that order.
    const rows = await imb.callbacks.crcenExpenseSweep(build, {train: [tr.xs, tr.ys], test: [te.xs, te.ys]}, {fitArgs: {epochs, batchSize, shuffle: false}});
    for (const r of rows) {
      const setting = r.costMultiplier === null ? 'λ = 1/2 (plain CE)' : `a = ${r.costMultiplier}`;
      const s = sums.get(setting) ?? {setting, lambda: r.lambda, fn: 0, fp: 0};
      s.fn += r.fn / splits;
      s.fp += r.fp / splits;
      sums.set(setting, s);
    }
    ctx.log(`expense sweep split ${split}: ${rows.map(r => `${r.costMultiplier ?? '½'}: FN ${r.fn} FP ${r.fp}`).join(', ')}`);
    tf.dispose([tr.xs, tr.ys, te.xs, te.ys]);
  }
  return Array.from(sums.values());
}
