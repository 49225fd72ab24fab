/**
 * Label values in a loss, without a sync in the training step.
 *
 * Sparse labels 7, −1 or 1.5 for 5 classes, or a soft row summing to 1.8,
 * would otherwise give a loss value (one-hot of 7 is a row of zeros, 1.5 is
 * truncated to 1) and train silently on garbage. So every loss checks the
 * labels' values as well as their shape:
 *
 * - **outside a gradient tape** (a direct call, `model.evaluate`, the
 *   validation pass of `fit`): the labels are read back and checked at once,
 *   with the same rules and messages as every other module (src/core/inputs.ts);
 * - **under a gradient tape** (a training step of `fit` / `fitDataset`, or
 *   `tf.grad`): the labels are read with `await data()`, which never stalls
 *   the step (on cpu / wasm the values are already in memory; on webgl the
 *   read is a non-blocking download), and checked in JS when they arrive; no
 *   op is added to the graph. Bad labels make the next call of the same loss
 *   throw: the next training step, the validation pass or the next
 *   `evaluate`. The step that saw the bad batch has already run; a bad batch
 *   in the very last step of a fit without validation is reported at the
 *   loss's next use.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {readLabels} from '../core/inputs';

/** What the labels of a loss hold: class indices, label rows, or P(y = 1) for a sigmoid column. */
export type TargetKind = 'indices' | 'rows' | 'probability';

/** The pending error of one loss, raised at its next call. */
export class LabelCheck {
  private pending: ImbalancedInputError | null = null;

  /** Throws (once) the error a training step's asynchronous check found. */
  throwPending(): void {
    const error = this.pending;
    if (error === null) return;
    this.pending = null;
    throw error;
  }

  /** Records an error for the next call. */
  report(error: ImbalancedInputError): void {
    this.pending ??= error;
  }
}

/** The check of the loss being called (set by `withLabelCheck`); a shared one for direct calls of the plumbing. */
let active: LabelCheck = new LabelCheck();

/** Runs a loss body with `check` receiving the asynchronous findings; throws a pending one first. */
export function withLabelCheck<T>(check: LabelCheck, body: () => T): T {
  check.throwPending();
  const previous = active;
  active = check;
  try {
    return body();
  } finally {
    active = previous;
  }
}

/** Checks the values of `yTrue` (already shape-checked) for `numClasses` classes; see the module comment. */
export function checkTargetValues(yTrue: tf.Tensor, kind: TargetKind, numClasses: number): void {
  const shape = yTrue.shape.slice();
  if (!tf.engine().isTapeOn()) {
    checkValues(yTrue.dataSync() as ArrayLike<number>, shape, kind, numClasses);
    return;
  }
  const check = active;
  yTrue.data().then(
    values => {
      try {
        checkValues(values as ArrayLike<number>, shape, kind, numClasses);
      } catch (e) {
        if (!(e instanceof ImbalancedInputError)) throw e;
        e.message += ' (in a training batch; reported at the next call of the loss)';
        check.report(e);
      }
    },
    () => undefined, // a tensor disposed before its read: nothing to check
  );
}

/** The rules of src/core/inputs.ts; for a sigmoid column, P(y = 1) in [0, 1]. */
function checkValues(values: ArrayLike<number>, shape: number[], kind: TargetKind, numClasses: number): void {
  if (kind !== 'probability') {
    readLabels({values, shape}, 'yTrue', {numClasses});
    return;
  }
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) {
      throw new ImbalancedInputError(`yTrue[${i}]`, 'P(y = 1) in [0, 1] (a 0/1 label or a soft target) for a one-column sigmoid yPred', values[i]);
    }
  }
}
