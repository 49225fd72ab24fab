/** Small real datasets shipped in data/, and tabular helpers for splitting and scaling them. */
export {satimage, glass, DATA_DIR, SATIMAGE_CLASSES, GLASS_CLASSES} from './shipped';
export {parseCsvDataset, selectRows, relabel, stratifiedSplit, standardize, countLabels, toTensors} from './tabular';
export type {TabularDataset} from './tabular';
