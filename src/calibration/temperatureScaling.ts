/**
 * Post-hoc temperature scaling of a trained model (Guo et al. 2017): fit T on
 * held-out data, then divide the logits by T. Works from probability outputs
 * too: log p is a valid logit vector (softmax is shift invariant), and for a
 * sigmoid column the logit is ln(p / (1 - p)).
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber} from '../core/validate';
import {predictionBatches} from '../core/predict';
import {readArray, readLabels} from '../core/inputs';
import {EPSILON} from '../losses/common';
import {ece} from '../metrics/ece';
import {LogitSet, fitTemperature, nllAtTemperature} from './temperature';

/** Options of {@link temperatureScaling}. */
export interface TemperatureScalingOptions {
  /** The model outputs logits (a linear last layer). Default false: probabilities. */
  fromLogits?: boolean;
  /** Rows per batch of the prediction passes (memory vs per-batch overhead; any value is linear in the rows). Default 256. */
  batchSize?: number;
  /** ECE bins for the before/after report. Default 15. */
  bins?: number;
}

/** NLL and ECE of the model's probabilities on the validation data. */
export interface CalibrationReport {
  /** Mean negative log-likelihood of the true class. */
  nll: number;
  /** Expected calibration error with `bins` equal-width bins. */
  ece: number;
}

/** What {@link temperatureScaling} returns: the fitted T, its effect on the validation data, and a predictor. */
export interface TemperatureScaler {
  /** The fitted temperature (> 1 softens over-confident outputs). */
  readonly temperature: number;
  /** Validation NLL / ECE with T = 1 (the model as it is). */
  readonly before: CalibrationReport;
  /** Validation NLL / ECE with the fitted T. */
  readonly after: CalibrationReport;
  /** Model outputs -> calibrated probabilities, same layout (one sigmoid column or C softmax columns). */
  calibrate(yPred: tf.Tensor): tf.Tensor;
  /** `calibrate(model.predict(xs))`, in one linear-time pass (see `batchSize`). */
  predict(xs: tf.Tensor, options?: {batchSize?: number}): tf.Tensor;
}

/** Logits of model outputs; a sigmoid column z becomes the two-class row [0, z]. */
function logitRows(values: ArrayLike<number>, n: number, cols: number, fromLogits: boolean): LogitSet['logits'] {
  const C = cols === 1 ? 2 : cols;
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    if (cols === 1) {
      const v = values[i];
      const p = Math.min(1 - EPSILON, Math.max(EPSILON, v));
      out[2 * i + 1] = fromLogits ? v : Math.log(p / (1 - p));
    } else {
      for (let j = 0; j < cols; j++) {
        const v = values[i * cols + j];
        out[i * C + j] = fromLogits ? v : Math.log(Math.min(1, Math.max(EPSILON, v)));
      }
    }
  }
  return out;
}

/** Applies 1/T to model outputs and returns probabilities in the same layout. */
function scaleOutputs(yPred: tf.Tensor, temperature: number, fromLogits: boolean): tf.Tensor {
  return tf.tidy(() => {
    const cols = yPred.rank === 1 ? 1 : (yPred.shape[1] as number);
    if (cols === 1) {
      const z = fromLogits ? yPred : (() => {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        return tf.log(tf.div(p, tf.sub(1, p)));
      })();
      return tf.sigmoid(tf.div(z, temperature));
    }
    const z = fromLogits ? yPred : tf.log(tf.clipByValue(yPred, EPSILON, 1));
    return tf.softmax(tf.div(z, temperature));
  });
}

/** The model's first output over all rows of `xs`, in one linear-time pass, as one tensor. */
function predictAll(model: LayersModel, xs: tf.Tensor, batchSize: number, map: (out: tf.Tensor) => tf.Tensor = out => tf.clone(out)): tf.Tensor {
  const parts: tf.Tensor[] = [];
  try {
    for (const {outputs} of predictionBatches(model, xs, batchSize)) parts.push(map(outputs[0]));
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

/**
 * Fits one temperature on `validationData` ([xs, ys]; ys as class indices or
 * one-hot) by minimising NLL, and returns a predictor with the fitted T and the
 * validation NLL / ECE before and after. Accuracy is unchanged (argmax is).
 * Fit T on data the model was not trained on, and judge it on yet other data.
 */
export async function temperatureScaling(
  model: LayersModel,
  validationData: [tf.Tensor, tf.Tensor],
  options: TemperatureScalingOptions = {},
): Promise<TemperatureScaler> {
  checkKeys('temperatureScaling', options, ['fromLogits', 'batchSize', 'bins']);
  const fromLogits = checkBoolean('fromLogits', options.fromLogits ?? false);
  const batchSize = checkNumber('batchSize', options.batchSize ?? 256, {min: 1, integer: true});
  const bins = checkNumber('bins', options.bins ?? 15, {min: 1, integer: true});
  if (!Array.isArray(validationData) || validationData.length !== 2 || !(validationData[0] instanceof tf.Tensor) || !(validationData[1] instanceof tf.Tensor)) {
    throw new ImbalancedInputError('validationData', '[xs, ys] tensors', validationData);
  }
  const [xs, ys] = validationData;
  if (xs.shape[0] !== ys.shape[0]) {
    throw new ImbalancedInputError('validationData', 'xs and ys with the same number of rows', `${xs.shape[0]} and ${ys.shape[0]} rows`);
  }
  // Labels first: a bad ys then fails before any tensor is made.
  const labels = readLabels(readArray(ys, 'validationData ys'), 'validationData ys').classes;
  const out = predictAll(model, xs, batchSize);
  let before: CalibrationReport;
  let after: CalibrationReport;
  let temperature: number;
  try {
    const cols = out.rank === 1 ? 1 : (out.shape[1] as number);
    const values = await out.data();
    const n = out.shape[0];
    const numClasses = cols === 1 ? 2 : cols;
    labels.forEach((l, i) => {
      if (l >= numClasses) throw new ImbalancedInputError(`validationData ys[${i}]`, `a class index below ${numClasses} (the model's classes)`, l);
    });
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new ImbalancedInputError('model output', `finite ${fromLogits ? 'logits' : 'probabilities'}`, `${values[i]} at index ${i}`);
    }
    const set: LogitSet = {logits: logitRows(values, n, cols, fromLogits), labels, numClasses};
    temperature = fitTemperature(set);
    const eceOf = (probs: tf.Tensor) => {
      const m = ece({bins});
      m.update(ys, probs);
      return m.result();
    };
    const probsBefore = fromLogits ? scaleOutputs(out, 1, true) : out;
    const probsAfter = scaleOutputs(out, temperature, fromLogits);
    try {
      before = {nll: nllAtTemperature(set, 1), ece: eceOf(probsBefore)};
      after = {nll: nllAtTemperature(set, temperature), ece: eceOf(probsAfter)};
    } finally {
      tf.dispose([probsBefore, probsAfter]);
    }
  } finally {
    out.dispose();
  }

  const calibrate = (yPred: tf.Tensor) => scaleOutputs(yPred, temperature, fromLogits);
  return {
    temperature,
    before,
    after,
    calibrate,
    predict: (x: tf.Tensor, opts: {batchSize?: number} = {}) => {
      checkKeys('scaler.predict', opts, ['batchSize']);
      return predictAll(model, x, checkNumber('batchSize', opts.batchSize ?? batchSize, {min: 1, integer: true}), calibrate);
    },
  };
}
