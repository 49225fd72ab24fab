/** Small real datasets shipped in data/, and tabular helpers for splitting and scaling them. */
export {satimage, glass, DATA_DIR, SATIMAGE_CLASSES, GLASS_CLASSES} from './shipped';
export {parseCsvDataset, selectRows, relabel, stratifiedSplit, standardize, countLabels, toTensors} from './tabular';
export type {TabularDataset} from './tabular';
export {fashionMnist, longTailCounts, subsetByClass, parseIdx, readIdxFile, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES} from './fashionMnist';
export type {IdxArray, ImageDataset} from './fashionMnist';
