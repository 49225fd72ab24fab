/**
 * CRCEN's "expense" analysis (Li & Zhu §4.2, Fig. 1) on the shipped satimage
 * data (damp grey soil vs rest, IR 9.3): one model per cost multiplier a, FN
 * and FP on the held-out 25%, and the extra false positives paid per false
 * negative saved between consecutive settings. Averaged over seeds (splits).
 *
 *   npx tsx examples/crcen-expense.ts [--seeds 4] [--epochs 40]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src/node';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
  const seeds = opt('--seeds', 4);
  const epochs = opt('--epochs', 40);
  const {backend} = await imb.backend.init();
  const alphas = [0.5, 1, 1.5, 2];
  const sums = new Map<string, {fn: number; fp: number; lambda: number}>();
  for (let seed = 0; seed < seeds; seed++) {
    const split = imb.datasets.stratifiedSplit(imb.datasets.satimage({task: 'binary'}), {testFraction: 0.25, seed});
    const [train, test] = imb.datasets.standardize(split.train, split.test);
    const tr = imb.datasets.toTensors(train);
    const te = imb.datasets.toTensors(test);
    // One hidden layer ("3-layer MLP", crcen.md §2), L2 on kernels only so eq. 6 keeps holding.
    const build = () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({units: 16, inputShape: [36], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 10 + seed}), kernelRegularizer: tf.regularizers.l2({l2: 1e-4})}));
      m.add(tf.layers.dense({units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({seed: 20 + seed})}));
      return m;
    };
    const rows = await imb.callbacks.crcenExpenseSweep(build, {train: [tr.xs, tr.ys], test: [te.xs, te.ys]}, {alphas, fitArgs: {epochs, batchSize: 64}});
    for (const r of rows) {
      const key = r.costMultiplier === null ? 'λ = 1/2 (plain CE)' : `a = ${r.costMultiplier}`;
      const s = sums.get(key) ?? {fn: 0, fp: 0, lambda: r.lambda};
      s.fn += r.fn / seeds;
      s.fp += r.fp / seeds;
      sums.set(key, s);
    }
    tf.dispose([tr.xs, tr.ys, te.xs, te.ys]);
  }
  console.log(`satimage binary, backend ${backend}, ${epochs} epochs, mean over ${seeds} stratified 75/25 splits\n`);
  console.log('| setting | λ | FN | FP | expense ΔFP/ΔFN |');
  console.log('|---|---|---|---|---|');
  let prev: {fn: number; fp: number} | null = null;
  for (const [key, s] of sums) {
    const e = prev ? imb.losses.expense(prev, s) : NaN;
    console.log(`| ${key} | ${s.lambda.toFixed(4)} | ${s.fn.toFixed(1)} | ${s.fp.toFixed(1)} | ${Number.isNaN(e) ? '' : e.toFixed(2)} |`);
    prev = s;
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
