/**
 * `npm run bench`: every benchmark, each printing Markdown tables of ratios
 * against a baseline measured in the same run. Pass names to run a subset:
 *   npm run bench -- losses metrics inputs
 *   npm run bench -- browser --quick
 */
import {run as losses} from './losses';
import {run as metrics} from './metrics';
import {run as data} from './data';
import {run as predict} from './predict';
import {run as inputs} from './inputs';
import {run as io} from './io';
import {run as browser} from './browser';
import {run as bundleSize} from './bundle-size';
import {run as compare} from './compare';
import {run as scaleMetrics} from './scale-metrics';

const ALL: Record<string, () => Promise<void>> = {losses, metrics, data, predict, inputs, io, browser, 'bundle-size': bundleSize, compare, 'scale-metrics': scaleMetrics};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter(a => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(ALL);
  for (const name of names) {
    if (!ALL[name]) throw new Error(`unknown benchmark '${name}' (have: ${Object.keys(ALL).join(', ')})`);
    console.log(`\n## ${name}`);
    await ALL[name]();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
