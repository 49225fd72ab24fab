/**
 * The Node entry's `data` namespace: everything of the main entry's `data`,
 * plus `knnThreads` (worker threads for the exact k-NN of the SMOTE family).
 */
export * from '../data';
export {availableCores, knnThreads} from './knnThreads';
