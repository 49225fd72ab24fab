/**
 * The datasets shipped in the package's `data/` directory, parsed from their
 * CSV text. Browser-safe: a page fetches `data/satimage.csv` (or bundles it as
 * text) and calls `parseSatimage(text)`; in Node, `satimage()` from
 * `tfjs-imbalanced/node` reads the file. Sources and licences: data/README.md.
 */
import {TabularDataset, parseCsvDataset, relabel} from './tabular';
import {checkKeys, checkOneOf} from '../core/validate';

/** Class names of the satimage data (multiclass task), index = label. */
export const SATIMAGE_CLASSES = ['red soil', 'cotton crop', 'grey soil', 'damp grey soil', 'vegetation stubble', 'very damp grey soil'];
/** Class names of the glass data, index = label. */
export const GLASS_CLASSES = ['building float', 'building non-float', 'vehicle float', 'container', 'tableware', 'headlamp'];

/** Names of the shipped datasets and their files in `data/`. */
export const SHIPPED_FILES = {
  /** UCI Statlog (Landsat Satellite). */
  satimage: 'satimage.csv',
  /** UCI Glass Identification. */
  glass: 'glass.csv',
} as const;
/** A shipped dataset's name. */
export type ShippedName = keyof typeof SHIPPED_FILES;

/** Options of {@link parseSatimage}. */
export interface SatimageOptions {
  /**
   * `'multiclass'` (default): the six classes. `'binary'`: imbalanced-learn's
   * `satimage` task, damp grey soil (label 1, 626 rows) against the rest
   * (label 0, 5809 rows), imbalance ratio 9.3, as in the CRCEN paper's Table 2.
   */
  task?: 'multiclass' | 'binary';
}

/**
 * UCI Statlog (Landsat Satellite) from the text of `data/satimage.csv`:
 * 6435 x 36, six classes (1533/703/1358/626/707/1508).
 */
export function parseSatimage(text: string, opts: SatimageOptions = {}): TabularDataset {
  checkKeys('parseSatimage', opts, ['task']);
  const task = checkOneOf('task', opts.task ?? 'multiclass', ['multiclass', 'binary'] as const);
  const ds = parseCsvDataset(text, {classNames: SATIMAGE_CLASSES});
  if (task === 'multiclass') return ds;
  return relabel(ds, y => (y === 3 ? 1 : 0), ['rest', 'damp grey soil']);
}

/** UCI Glass Identification from the text of `data/glass.csv`: 214 x 9, six classes (70/76/17/13/9/29), imbalance ratio 8.4. */
export function parseGlass(text: string): TabularDataset {
  return parseCsvDataset(text, {classNames: GLASS_CLASSES});
}
