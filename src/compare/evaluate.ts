/**
 * Scoring a trained model on a repeat's test rows: softmax outputs, the
 * binary threshold (fixed, or tuned on the validation rows), the metrics, and
 * optionally the temperature-scaled variant (Guo et al. 2017) fitted on the
 * validation rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {temperatureScaling} from '../calibration/temperatureScaling';
import {evaluatePredictions} from './metricSet';
import type {RepeatTensors} from './repeat';
import {tuneThreshold, ThresholdMetric} from './threshold';
import type {CompareOptions, Costs, Evaluation, ModelBuilder, ProgressEvent, ResolvedConfig} from './types';

/** Settings every run of a comparison shares. */
export interface RunSettings {
  config: ResolvedConfig;
  numClasses: number;
  featureShape: number[];
  builder: ModelBuilder;
  costs: Costs | null;
  emit: (e: ProgressEvent) => void;
  onModel?: CompareOptions['onModel'];
}

/** Outputs of `model` on `xs` (`tensor`: as the model gives them) and their softmax probabilities as a flat array. */
async function predictProbs(model: tfl.LayersModel, xs: tf.Tensor, fromLogits: boolean): Promise<{tensor: tf.Tensor2D; values: Float32Array}> {
  const out = model.predict(xs, {batchSize: 1024}) as tf.Tensor2D;
  if (!fromLogits) return {tensor: out, values: (await out.data()) as Float32Array};
  const probs = tf.softmax(out);
  try {
    return {tensor: out, values: (await probs.data()) as Float32Array};
  } finally {
    probs.dispose();
  }
}

/** P(class 1) of row-major two-class probabilities. */
function positiveColumn(probs: Float32Array): Float32Array {
  const p1 = new Float32Array(probs.length / 2);
  for (let i = 0; i < p1.length; i++) p1[i] = probs[2 * i + 1];
  return p1;
}

/**
 * Evaluates `model` (its current weights) on the test rows: threshold (fixed or
 * tuned on validation rows), metrics, and optionally the temperature-scaled variant.
 */
export async function evaluateModel(model: tfl.LayersModel, t: RepeatTensors, s: RunSettings, budget: number, epoch: number): Promise<Evaluation[]> {
  const {config, numClasses} = s;
  const binary = numClasses === 2;
  const opts = {metrics: config.metrics, bins: config.bins, costs: s.costs, classGroups: config.classGroups};
  const test = await predictProbs(model, t.test.xs, config.fromLogits);
  const val = t.validation && (config.threshold === 'tuned' || config.temperatureScale) ? await predictProbs(model, t.validation.xs, config.fromLogits) : null;
  const thresholdFor = (valProbs: Float32Array | null): number | null => {
    if (!binary) return null;
    if (config.threshold !== 'tuned') return config.threshold;
    return valProbs && t.validation ? tuneThreshold(t.validation.labels, positiveColumn(valProbs), config.thresholdMetric as ThresholdMetric) : 0.5;
  };
  const out: Evaluation[] = [];
  try {
    const threshold = thresholdFor(val?.values ?? null);
    out.push({budget, calibrated: false, epoch, ...evaluatePredictions(t.test.labels, test.values, numClasses, {...opts, threshold})});
    if (config.temperatureScale && t.validation && val) {
      const scaler = await temperatureScaling(model, [t.validation.xs, t.validation.labelTensor], {fromLogits: config.fromLogits});
      const calTest = scaler.calibrate(test.tensor);
      const calVal = scaler.calibrate(val.tensor);
      try {
        const [testValues, valValues] = await Promise.all([calTest.data(), calVal.data()]);
        const calThreshold = thresholdFor(valValues as Float32Array);
        out.push({
          budget, calibrated: true, epoch, temperature: scaler.temperature,
          ...evaluatePredictions(t.test.labels, testValues as Float32Array, numClasses, {...opts, threshold: calThreshold}),
        });
      } finally {
        tf.dispose([calTest, calVal]);
      }
    }
  } finally {
    tf.dispose([test.tensor, val?.tensor ?? []].flat());
  }
  return out;
}
