/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, "Fashion-MNIST: a Novel Image
 * Dataset for Benchmarking Machine Learning Algorithms"; MIT licence) assembled
 * from parsed IDX arrays. Browser-safe: a page fetches the four IDX files and
 * passes their parsed arrays here; in Node, `fashionMnist()` from
 * `tfjs-imbalanced/node` reads them from disk (Debian's `dataset-fashion-mnist`).
 */
import {ImbalancedInputError} from '../errors';
import {checkKeys} from '../core/validate';
import {IdxArray} from './idx';

/** Class names, index = label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** One split of an image dataset: uint8 pixels, row-major [count, rows, cols]. */
export interface ImageDataset {
  /** Pixel values 0-255, length count·rows·cols. */
  images: Uint8Array;
  /** Labels 0..C−1. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
  /** Class names, index = label. */
  classNames: string[];
}

/**
 * Checks a pair of parsed IDX arrays (ubyte images [count, rows, cols] and
 * ubyte labels [count] in [0, C)) and returns them as an {@link ImageDataset}.
 * `sources` name the two files in error messages.
 */
export function imageDatasetFromIdx(
  images: IdxArray,
  labels: IdxArray,
  classNames: string[] = FASHION_MNIST_CLASSES,
  sources: {images?: string; labels?: string} = {},
): ImageDataset {
  checkKeys('imageDatasetFromIdx sources', sources, ['images', 'labels']);
  const imageSource = sources.images ?? 'images';
  const labelSource = sources.labels ?? 'labels';
  if (images.dims.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new ImbalancedInputError(imageSource, 'ubyte images of shape [count, rows, cols]', `${images.dims.length} dimensions`);
  }
  if (labels.dims.length !== 1 || !(labels.data instanceof Uint8Array)) {
    throw new ImbalancedInputError(labelSource, 'ubyte labels of shape [count]', `${labels.dims.length} dimensions`);
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new ImbalancedInputError(labelSource, `${images.dims[0]} labels (one per image)`, `${labels.dims[0]} labels`);
  }
  const C = classNames.length;
  const bad = labels.data.findIndex(v => v >= C);
  if (bad >= 0) throw new ImbalancedInputError(`${labelSource}[${bad}]`, `a label in [0, ${C - 1}]`, labels.data[bad]);
  return {
    images: images.data,
    labels: labels.data,
    count: images.dims[0],
    rows: images.dims[1],
    cols: images.dims[2],
    classNames: classNames.slice(),
  };
}
