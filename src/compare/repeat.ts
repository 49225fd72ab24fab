/**
 * One repeat's data as tensors: the split's training, validation and test
 * rows (standardised with the training rows' mean and sd when asked), shared
 * by every method of the repeat.
 */
import * as tf from '@tensorflow/tfjs-core';
import {minMaxScale, selectRows, standardize, TabularDataset} from '../datasets/tabular';
import type {CheckedData} from './prepare';
import type {RunResult, SplitIndices} from './types';

/** One repeat's data as tensors, shared by every method of the repeat. */
export interface RepeatTensors {
  train: {xs: tf.Tensor; labels: tf.Tensor1D; labelValues: Int32Array; oneHot: tf.Tensor2D};
  validation: {xs: tf.Tensor; labels: Int32Array; labelTensor: tf.Tensor1D; oneHot: tf.Tensor2D} | null;
  test: {xs: tf.Tensor; labels: Int32Array};
  trainCounts: number[];
  seeds: RunResult['seeds'];
}

/** The rows of `idx` as a dataset view for `selectRows` / `standardize`. */
export function asTable(data: CheckedData): TabularDataset {
  return {
    features: data.features, labels: data.labels, numRows: data.numRows, numFeatures: data.features.length / data.numRows,
    numClasses: data.numClasses, featureNames: data.featureNames ?? [], classNames: data.classNames,
  };
}

/** Builds one repeat's tensors (scaled with the training rows' statistics when asked: z-scores or min-max). */
export function repeatTensors(table: TabularDataset, featureShape: number[], split: SplitIndices, scaling: boolean | 'minmax', seeds: RunResult['seeds']): RepeatTensors {
  const parts = [split.train, split.validation ?? [], split.test].map(idx => selectRows(table, idx));
  const scale = scaling === 'minmax' ? minMaxScale : scaling ? standardize : null;
  const [train, validation, test] = scale ? scale(parts[0], parts[1], parts[2]) : parts;
  const C = table.numClasses;
  const xsOf = (t: TabularDataset) => tf.tensor(t.features, [t.numRows, ...featureShape], 'float32');
  const oneHotOf = (t: TabularDataset) => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(t.labels, 'int32'), C), 'float32')) as tf.Tensor2D;
  const trainCounts = new Array<number>(C).fill(0);
  train.labels.forEach(y => trainCounts[y]++);
  return {
    train: {xs: xsOf(train), labels: tf.tensor1d(train.labels, 'int32'), labelValues: train.labels, oneHot: oneHotOf(train)},
    validation: validation.numRows > 0
      ? {xs: xsOf(validation), labels: validation.labels, labelTensor: tf.tensor1d(validation.labels, 'int32'), oneHot: oneHotOf(validation)}
      : null,
    test: {xs: xsOf(test), labels: test.labels},
    trainCounts,
    seeds,
  };
}

export function disposeRepeat(t: RepeatTensors): void {
  tf.dispose([t.train.xs, t.train.labels, t.train.oneHot, t.test.xs]);
  if (t.validation) tf.dispose([t.validation.xs, t.validation.labelTensor, t.validation.oneHot]);
}
