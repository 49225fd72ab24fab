/**
 * tfjs-imbalanced for Node: everything the main entry exports, plus the parts
 * that need Node's file system (`import * as imb from 'tfjs-imbalanced/node'`).
 * Its `datasets` namespace adds the file loaders (`satimage()`, `glass()`,
 * `fashionMnist()`, `readIdxFile()`) to the browser-safe parsers of the main
 * entry. Its `io` namespace adds `fileSystem(dir)` (model.json + weights.bin)
 * and, on import, routes `file://` URLs to it (unless tfjs-node already does).
 * Its `data` namespace adds `knnThreads(n)` (SMOTE's k-NN on worker threads).
 * Never import this from code meant for a browser bundle.
 */
export * from './index';
export * as datasets from './node/datasets';
export * as io from './node/io';
export * as data from './node/data';
