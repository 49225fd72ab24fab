/**
 * The comparison engine from code: what `npx tfjs-imbalanced compare` runs,
 * with a method list of your own (a focal variant, a sampler combined with a
 * loss), several training budgets, a tuned threshold and temperature scaling.
 * Prints the table and writes compare-report.html.
 *
 *   npx tsx examples/compare.ts                  # satimage, damp grey soil vs rest
 *   npx tsx examples/compare.ts --quick          # 2 methods, 1 repeat, 5 epochs
 *
 * The same from the command line:
 *   npx tfjs-imbalanced compare --methods ce,dwb,remix,smote+focal --set focal.gamma=1 \
 *     --epochs 10,30 --threshold tuned --temperature-scale --out compare-report.html
 */
import * as fs from 'fs';
import * as imb from '../src/node';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  await import('@tensorflow/tfjs-backend-cpu'); // the fallback when wasm is not installed
  const {backend} = await imb.backend.init();
  const data = imb.datasets.satimage({task: 'binary'});
  const methods: imb.compare.MethodEntry[] = quick ? ['ce', 'dwb'] : [
    'ce',
    'dwb',
    {method: 'focal', label: 'focal γ=1', options: {focal: {gamma: 1}}},
    'remix',
    {method: 'smote+focal', options: {focal: {gamma: 1}}},
  ];
  const result = await imb.compare.run(data, {
    methods,
    epochs: quick ? 5 : [10, 30],
    repeats: quick ? 1 : 3,
    threshold: 'tuned',
    temperatureScale: true,
    dataName: 'satimage (damp grey soil vs rest)',
    onProgress: e => {
      if (e.type === 'runEnd') console.log(`${e.run.index + 1}/${e.run.total} ${e.run.method}, repeat ${e.run.repeat + 1}: best epoch ${e.result.bestEpoch}`);
    },
  });
  const budgets = result.config.epochs;
  for (const budget of budgets) {
    console.log(`\n${budget} epochs (${backend}):\n${imb.report.textTable(result, {budget})}`);
  }
  console.log(`\nMarkdown:\n${imb.report.markdownTable(result, {budget: budgets[budgets.length - 1]})}`);
  fs.writeFileSync('compare-report.html', imb.report.renderHtml(result));
  console.log('\nwrote compare-report.html');
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
