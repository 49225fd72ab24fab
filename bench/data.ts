/**
 * Data-transform benchmarks: (a) SMOTE against imbalanced-learn on the same
 * data, (b) fitDataset on ds.remix() against fit on the same tensors.
 *   npx tsx bench/data.ts
 */
import {run as runSmote} from './smote';
import {run as runRemix} from './remix';
import {exitOnError} from './lib';

export async function run(): Promise<void> {
  await runSmote();
  await runRemix();
}

if (require.main === module) {
  exitOnError(run());
}
