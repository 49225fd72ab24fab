/**
 * A CSL loss's state as JSON, so a saved model resumes training exactly: the
 * next batch-mode call uses the cumulative norm sums (S), the previous
 * prediction counts (the reinforcement term r) and the coefficients a the
 * original loss would have used (CSL, eqs. 1-2). The settings (mode, k, target
 * classes, ...) travel in `loss.config`; this is everything else. Float32
 * values print exactly in JSON (the shortest decimal that reads back to the
 * same double, hence the same float32).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkNumber, checkNumberArray} from '../core/validate';
import {CslState} from '../losses/cslState';

/** The variables and counters of a {@link CslState}, as plain JSON. */
export interface CslStateJson {
  /** Running Σ ||z_n|| per true class. */
  normSum: number[];
  /** Running count of samples per true class. */
  normCount: number[];
  /** N of the last update (N^prev). */
  prevCounts: number[];
  /** Coefficients a_i. */
  a: number[];
  /** r of the last update. */
  r: number[];
  /** Epoch mode: argmax counts of this epoch's training calls. */
  trainCounts: number[];
  /** Epoch mode: argmax counts of this epoch's validation calls. */
  valCounts: number[];
  /** Epoch mode: training samples counted this epoch. */
  trainSamples: number;
  /** Epoch mode: validation samples counted this epoch. */
  valSamples: number;
  /** Epoch mode: the largest training batch of this epoch. */
  maxTrainBatch: number;
  /** Predictions counted by the last update. */
  lastSamples: number;
  /** Whether N^prev holds an earlier update. */
  hasPrev: boolean;
  /** Number of updates so far. */
  updates: number;
}

const VECTORS = ['normSum', 'normCount', 'prevCounts', 'a', 'r', 'trainCounts', 'valCounts'] as const;
const COUNTERS = ['trainSamples', 'valSamples', 'maxTrainBatch', 'lastSamples', 'updates'] as const;

/** Reads the state (one `dataSync` per variable: call it outside a training step). */
export function cslStateToJson(state: CslState): CslStateJson {
  const json = {hasPrev: state.hasPrev} as CslStateJson;
  VECTORS.forEach(key => {
    json[key] = Array.from(state[key].dataSync());
  });
  COUNTERS.forEach(key => {
    json[key] = state[key];
  });
  return json;
}

/** Checks `json` against a state of `state.numClasses` classes and writes it into the state. */
export function restoreCslState(state: CslState, json: unknown, where: string): void {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ImbalancedInputError(where, 'a CSL state object written by imb.io.save', json);
  }
  const given = json as Record<string, unknown>;
  const C = state.numClasses;
  const vectors = VECTORS.map(key => checkNumberArray(`${where}.${key}`, given[key], {length: C}));
  const counters = COUNTERS.map(key => checkNumber(`${where}.${key}`, given[key], {min: 0, integer: true}));
  const hasPrev = checkBoolean(`${where}.hasPrev`, given.hasPrev);
  tf.tidy(() => VECTORS.forEach((key, i) => state[key].assign(tf.tensor1d(vectors[i]))));
  COUNTERS.forEach((key, i) => {
    state[key] = counters[i];
  });
  state.hasPrev = hasPrev;
}
