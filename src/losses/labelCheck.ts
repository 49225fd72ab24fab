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
 *   `tf.grad`): a few ops count the bad labels on the backend, and that count
 *   is read asynchronously, so the step never waits for it. A bad count makes
 *   the next call of the same loss throw: the next training step, the
 *   validation pass or the next `evaluate`. The step that saw the bad batch has
 *   already run; a bad batch in the very last step of a fit without validation
 *   is reported at the loss's next use.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {ROW_SUM_TOLERANCE, readArray, readLabels} from '../core/inputs';

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
  if (tf.engine().isTapeOn()) {
    watchOnBackend(yTrue, kind, numClasses, active);
    return;
  }
  const data = readArray(yTrue, 'yTrue');
  if (kind !== 'probability') {
    readLabels(data, 'yTrue', {numClasses});
    return;
  }
  const v = data.values;
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 0 && v[i] <= 1)) {
      throw new ImbalancedInputError(`yTrue[${i}]`, 'P(y = 1) in [0, 1] (a 0/1 label or a soft target) for a one-column sigmoid yPred', v[i]);
    }
  }
}

/** Number of label values that break the rules, computed on the backend (NaN counts as bad: comparisons with it are false). */
function badLabels(y: tf.Tensor, kind: TargetKind, numClasses: number): tf.Tensor {
  if (y.dtype === 'bool') y = tf.cast(y, 'int32');
  if (kind === 'probability') return tf.any(tf.notEqual(y, tf.clipByValue(y, 0, 1)));
  if (kind === 'indices') {
    const valid = tf.clipByValue(y.dtype === 'int32' ? y : tf.round(y), 0, numClasses - 1);
    return tf.any(tf.notEqual(y, valid));
  }
  // Rows: every value >= 0 and every row summing to 1 (then no value exceeds 1).
  const sumsOk = tf.all(tf.lessEqual(tf.abs(tf.sub(tf.sum(y, 1), 1)), ROW_SUM_TOLERANCE));
  return tf.logicalNot(tf.logicalAnd(sumsOk, tf.greaterEqual(tf.min(y), 0)));
}

function watchOnBackend(yTrue: tf.Tensor, kind: TargetKind, numClasses: number, check: LabelCheck): void {
  const flag = tf.keep(badLabels(yTrue, kind, numClasses));
  const shape = `[${yTrue.shape.join(', ')}]`;
  flag.data().then(
    values => {
      flag.dispose();
      if (values[0]) check.report(new ImbalancedInputError('yTrue', `${expectation(kind, numClasses)} in every training batch`, `a batch of labels ${shape} breaking that (found after its training step)`));
    },
    () => flag.dispose(),
  );
}

function expectation(kind: TargetKind, numClasses: number): string {
  if (kind === 'probability') return 'P(y = 1) in [0, 1] for a one-column sigmoid yPred';
  if (kind === 'indices') return `class indices: integers in [0, ${numClasses - 1}]`;
  return `one-hot or soft label rows: values in [0, 1] summing to 1`;
}
