/**
 * Bundle size of the packed package in a consumer's browser bundle
 * (`esbuild --bundle --format=esm --platform=browser --minify`, gzip -9):
 * the library alone (tfjs marked external), an app that uses one loss
 * (tree-shaking), and a whole app with tfjs for scale. Ratios are against
 * `@tensorflow/tfjs` alone, bundled in the same run. Not a timing.
 *
 *   npx tsx bench/bundle-size.ts           (--quick is accepted: it is fast anyway)
 */
import * as fs from 'fs';
import * as path from 'path';
import {printTable, exitOnError} from './lib';
import {bundleForBrowser} from '../scripts/browser/bundle';
import {packedConsumer} from '../scripts/browser/packedConsumer';

const TFJS_EXTERNAL = ['@tensorflow/*'];

/** [label, entry source, external packages] */
const APPS: [string, string, string[]][] = [
  ['`@tensorflow/tfjs` alone (baseline)', "import * as tf from '@tensorflow/tfjs';\nconsole.log(tf.version);\n", []],
  ['`@tensorflow/tfjs` + every export of tfjs-imbalanced', "import * as tf from '@tensorflow/tfjs';\nimport * as imb from 'tfjs-imbalanced';\nconsole.log(tf.version, imb);\n", []],
  ['tfjs-imbalanced alone: every export (tfjs external)', "import * as imb from 'tfjs-imbalanced';\nconsole.log(imb);\n", TFJS_EXTERNAL],
  ['tfjs-imbalanced alone: one loss, `import {losses}` → `losses.dwb` (tfjs external)', "import {losses} from 'tfjs-imbalanced';\nconsole.log(losses.dwb({classCounts: [9, 1]}));\n", TFJS_EXTERNAL],
  ['tfjs-imbalanced alone: one metric, `import {metrics}` → `metrics.ece` (tfjs external)', "import {metrics} from 'tfjs-imbalanced';\nconsole.log(metrics.ece());\n", TFJS_EXTERNAL],
  ["tfjs-imbalanced alone: one loss, `import {dwb} from 'tfjs-imbalanced/losses'` (tfjs external)", "import {dwb} from 'tfjs-imbalanced/losses';\nconsole.log(dwb({classCounts: [9, 1]}));\n", TFJS_EXTERNAL],
  ["tfjs-imbalanced alone: one metric, `import {ece} from 'tfjs-imbalanced/metrics'` (tfjs external)", "import {ece} from 'tfjs-imbalanced/metrics';\nconsole.log(ece());\n", TFJS_EXTERNAL],
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export async function run(): Promise<void> {
  const consumer = packedConsumer();
  if (consumer.skip) {
    console.log(`\nbundle-size bench skipped: ${consumer.skip}`);
    return;
  }
  const dir = path.join(consumer.dir!, 'size');
  fs.mkdirSync(dir, {recursive: true});
  const rows: (string | number)[][] = [];
  let baseline = 0;
  for (const [i, [label, source, external]] of APPS.entries()) {
    const entry = path.join(dir, `app${i}.js`);
    fs.writeFileSync(entry, source);
    const r = await bundleForBrowser({entry, outfile: path.join(dir, 'out', `app${i}.js`), minify: true, external});
    if (i === 0) baseline = r.gzipBytes;
    const output = Object.values(r.metafile.outputs)[0].inputs;
    const files = Object.entries(output).filter(([f, v]) => f.includes('node_modules/tfjs-imbalanced/') && v.bytesInOutput > 0).length;
    rows.push([label, kb(r.bytes), kb(r.gzipBytes), (r.gzipBytes / baseline).toFixed(3), String(files)]);
  }
  printTable('browser bundle size (esbuild --minify, gzip -9); ratio = gzip size ÷ @tensorflow/tfjs alone', ['app', 'minified', 'gzip', 'ratio', 'files of the package in the output'], rows);
}

if (require.main === module) {
  exitOnError(run());
}
