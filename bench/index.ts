/**
 * `npm run bench`: every benchmark, each printing Markdown tables of ratios
 * against a baseline measured in the same run; all tables are also written to
 * bench/results/<name>.json and .md (name: `--out name`, default the date and
 * time), so a later run can be compared with an earlier one.
 *   npm run bench                              # everything (the scale benches take minutes)
 *   npm run bench -- losses metrics inputs     # a subset
 *   npm run bench -- smote scale-smote --quick # fewer repeats / sizes
 *   npm run bench -- browser --quick
 *   npm run bench -- --compare a.json b.json   # b / a for every matching row
 *   --peer-blas openblas | system              # time the Python peers with one BLAS only
 */
import {run as losses} from './losses';
import {run as metrics} from './metrics';
import {run as smote} from './smote';
import {run as remix} from './remix';
import {run as scaleSmote} from './scale-smote';
import {run as scaleResample} from './scale-resample';
import {run as predict} from './predict';
import {run as inputs} from './inputs';
import {run as io} from './io';
import {run as browser} from './browser';
import {run as bundleSize} from './bundle-size';
import {run as compare} from './compare';
import {run as scaleMetrics} from './scale-metrics';
import {argValue, compareResults, writeResults, exitOnError} from './lib';

const ALL: Record<string, (opts: {quick?: boolean}) => Promise<void>> = {
  losses,
  metrics,
  smote,
  remix: () => remix(),
  'scale-smote': scaleSmote,
  'scale-resample': scaleResample,
  predict,
  inputs,
  io,
  browser: () => browser(),
  'bundle-size': () => bundleSize(),
  compare: () => compare(),
  'scale-metrics': scaleMetrics,
};
/** Names that run several benches. */
const GROUPS: Record<string, string[]> = {data: ['smote', 'remix']};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const compare = argv.indexOf('--compare');
  if (compare >= 0) {
    const [a, b] = argv.slice(compare + 1, compare + 3);
    if (!a || !b) throw new Error('usage: npm run bench -- --compare a.json b.json');
    compareResults(a, b);
    return;
  }
  const values = [argValue('--out'), argValue('--peer-blas')];
  const out = values[0];
  const wanted = argv.filter(a => !a.startsWith('-') && !values.includes(a)).flatMap(a => GROUPS[a] ?? [a]);
  const names = wanted.length ? wanted : Object.keys(ALL);
  for (const name of names) {
    if (!ALL[name]) throw new Error(`unknown benchmark '${name}' (have: ${[...Object.keys(ALL), ...Object.keys(GROUPS)].join(', ')})`);
  }
  for (const name of names) {
    console.log(`\n## ${name}`);
    await ALL[name]({quick: argv.includes('--quick')});
  }
  const stamp = new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
  console.log(`\nwrote ${writeResults(out ?? stamp)}`);
}

exitOnError(main());
