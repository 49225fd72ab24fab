/**
 * Data utilities: class counts, resampling and augmentation transforms. Every
 * transform is a plain function here and (after importing the package) a
 * chainable method on tf.data.Dataset.
 */
export {classCounts} from './classCounts';
export type {ClassCountsOptions, LabelSource, LabelledDataset} from './classCounts';
