/**
 * Datasets: parsing, splitting and scaling (browser-safe). Reading files from
 * disk (the shipped CSVs, Fashion-MNIST IDX files) lives in the Node entry,
 * `tfjs-imbalanced/node`, whose `datasets` namespace adds `satimage()`,
 * `glass()`, `fashionMnist()` and `readIdxFile()` to everything here.
 * `Random` is the library's seeded generator, which `stratifiedIndices` takes.
 */
export {parseSatimage, parseGlass, SATIMAGE_CLASSES, GLASS_CLASSES, SHIPPED_FILES} from './shipped';
export type {SatimageOptions, ShippedName} from './shipped';
export {parseCsvDataset, splitCsvLine, selectRows, relabel, stratifiedIndices, stratifiedSplit, standardize, minMaxScale, countLabels, toTensors} from './tabular';
export {Random} from '../core/random';
export type {CsvDatasetOptions, LabelMapping, TabularDataset} from './tabular';
export {parseIdx, isGzip} from './idx';
export type {IdxArray} from './idx';
export {imageDatasetFromIdx, FASHION_MNIST_CLASSES} from './fashionMnist';
export type {ImageDataset} from './fashionMnist';
export {longTailCounts, subsetByClass} from './longTail';
export {downsampleToRatio, oneVsRestBlock} from './imbalance';
export type {DownsampleOptions, OneVsRestBlockOptions, OneVsRestSet} from './imbalance';
