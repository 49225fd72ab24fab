/**
 * Adds the data transforms to `tf.data.Dataset` as chainable methods, so that
 * after `import 'tfjs-imbalanced'` (or this module) one writes
 * `ds.remix({seed: 1})` instead of `data.remix(ds, {seed: 1})`. Each method is
 * the plain function of the same transform with the dataset as first argument.
 *
 * Importing this module patches `tf.data.Dataset.prototype` once
 * (idempotent: re-importing or a second call of `installDatasetMethods` does
 * nothing); the methods are non-enumerable. The `declare module` block below
 * makes them type-check.
 */
import * as tfd from '@tensorflow/tfjs-data';
import {TensorContainer} from '@tensorflow/tfjs-core';
import {balancedBatches, BalancedBatchesOptions} from './balance';
import {BatchElement} from './elements';
import {mixup, MixupOptions} from './mixup';
import {rebalancedMixup, RebalancedMixupOptions} from './rebalancedMixup';
import {remix, RemixOptions} from './remix';
import {LabelledElement, smoteDataset, SmoteDatasetOptions} from './smoteDataset';

declare module '@tensorflow/tfjs-data' {
  interface Dataset<T extends TensorContainer> {
    /** Class-balanced batches from unbatched {xs, ys} rows: see `data.balancedBatches`. */
    balance(options: BalancedBatchesOptions): Dataset<BatchElement>;
    /** ReMix (Bellinger et al. 2021) batches from unbatched {xs, ys} rows: see `data.remix`. */
    remix(options?: RemixOptions): Dataset<BatchElement>;
    /** Chou et al.'s Rebalanced Mixup on a batched dataset: see `data.rebalancedMixup`. */
    rebalancedMixup(options?: RebalancedMixupOptions): Dataset<BatchElement>;
    /** Plain mixup on a batched dataset: see `data.mixup`. */
    mixup(options?: MixupOptions): Dataset<BatchElement>;
    /** SMOTE over a finite dataset (source elements, then synthetic ones): see `data.smoteDataset`. */
    smote(options?: SmoteDatasetOptions): Dataset<T>;
  }
}

type AnyDataset = tfd.Dataset<TensorContainer>;

/** The methods, one line each (`this` is the dataset). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const methods: Record<string, (this: AnyDataset, options?: any) => unknown> = {
  balance(this: AnyDataset, options: BalancedBatchesOptions) { return balancedBatches(this, options); },
  remix(this: AnyDataset, options?: RemixOptions) { return remix(this, options); },
  rebalancedMixup(this: AnyDataset, options?: RebalancedMixupOptions) { return rebalancedMixup(this, options); },
  mixup(this: AnyDataset, options?: MixupOptions) { return mixup(this, options); },
  smote(this: AnyDataset, options?: SmoteDatasetOptions) { return smoteDataset(this as tfd.Dataset<LabelledElement>, options); },
};

/**
 * Defines the methods on `tf.data.Dataset.prototype` (writable, configurable,
 * non-enumerable). Idempotent; runs on import.
 */
export function installDatasetMethods(): void {
  const proto = tfd.Dataset.prototype as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(methods)) {
    if (proto[name] === fn) continue;
    Object.defineProperty(proto, name, {value: fn, writable: true, configurable: true, enumerable: false});
  }
}

installDatasetMethods();
