/**
 * Loaders for the datasets shipped in `data/` (Node only: they read files).
 * Sources, licences and the script that wrote them: data/README.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import {TabularDataset, parseCsvDataset, relabel} from './tabular';
import {checkOneOf} from '../core/validate';

/** The package's data/ directory, from src/datasets or dist/datasets alike. */
export const DATA_DIR = path.resolve(__dirname, '..', '..', 'data');

/** Class names of `satimage()` (multiclass task), index = label. */
export const SATIMAGE_CLASSES = ['red soil', 'cotton crop', 'grey soil', 'damp grey soil', 'vegetation stubble', 'very damp grey soil'];
/** Class names of `glass()`, index = label. */
export const GLASS_CLASSES = ['building float', 'building non-float', 'vehicle float', 'container', 'tableware', 'headlamp'];

/**
 * UCI Statlog (Landsat Satellite), 6435 x 36, six classes (1533/703/1358/626/707/1508).
 * `task: 'binary'` gives imbalanced-learn's `satimage`: damp grey soil (626, label 1)
 * against the rest (5809, label 0), imbalance ratio 9.3, as in the CRCEN paper (Table 2).
 */
export function satimage(opts: {task?: 'multiclass' | 'binary'} = {}): TabularDataset {
  const task = checkOneOf('task', opts.task ?? 'multiclass', ['multiclass', 'binary'] as const);
  const ds = parseCsvDataset(fs.readFileSync(path.join(DATA_DIR, 'satimage.csv'), 'utf8'), {classNames: SATIMAGE_CLASSES});
  if (task === 'multiclass') return ds;
  return relabel(ds, y => (y === 3 ? 1 : 0), ['rest', 'damp grey soil']);
}

/** UCI Glass Identification, 214 x 9, six classes (70/76/17/13/9/29), imbalance ratio 8.4. */
export function glass(): TabularDataset {
  return parseCsvDataset(fs.readFileSync(path.join(DATA_DIR, 'glass.csv'), 'utf8'), {classNames: GLASS_CLASSES});
}
