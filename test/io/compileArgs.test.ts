/**
 * compileArgs (src/io/compileArgs.ts): the compile arguments of a model to JSON
 * and back, on their own (the full save / load path is in saveLoad.test.ts).
 * Losses and metrics of this package become their config and come back as
 * equal functions; tfjs names stay strings; the shape (one, array, object by
 * output) is kept; anything JSON cannot hold is an error naming its place.
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {ImbalancedInputError} from '../../src/errors';
import {checkOptimizerClass, compileArgsFromJson, compileArgsToJson, jsonSafe, lossFunctionsOf} from '../../src/io/compileArgs';
import type {SavedCompileArgs} from '../../src/io/format';
import {expectClose, smallModel} from '../helpers';

const COUNTS = [20, 8, 4];

describe('compileArgsToJson', () => {
  it('is null for a model never compiled', () => {
    const model = smallModel(4, 3, 'softmax', 1);
    expect(compileArgsToJson(model)).toBeNull();
    model.dispose();
  });

  it('stores our losses and metrics as configs, tfjs names as strings, and the optimizer as tfjs does; survives JSON', () => {
    const model = smallModel(4, 3, 'softmax', 1);
    const loss = imb.losses.dwb({classCounts: COUNTS});
    model.compile({optimizer: tf.train.adam(0.01), loss, metrics: ['accuracy', imb.metrics.ece({bins: 5})]});
    const saved = compileArgsToJson(model)!;
    expect(saved.loss).toEqual({name: 'dwb', options: loss.config.options});
    expect(saved.metrics).toEqual(['accuracy', {name: 'ece', options: expect.objectContaining({bins: 5})}]);
    expect(saved.optimizer).toEqual({class_name: 'Adam', config: expect.objectContaining({learningRate: 0.01})});
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    model.dispose();
    loss.dispose();
  });

  it('names the place of a loss without a config (a plain function)', () => {
    const model = smallModel(4, 3, 'softmax', 1);
    const custom = function myLoss(a: tf.Tensor, b: tf.Tensor) {
      return tf.losses.meanSquaredError(a, b);
    };
    model.compile({optimizer: 'sgd', loss: custom});
    expect(() => compileArgsToJson(model)).toThrow(/^model\.loss: expected a loss of this package .*got a function named "myLoss" without a config/);
    model.dispose();
  });
});

describe('compileArgsFromJson', () => {
  it('rebuilds losses that compute the same values, keeping the per-output shape', () => {
    const dwb = imb.losses.dwb({classCounts: COUNTS});
    const focal = imb.losses.focal({gamma: 1});
    const saved: SavedCompileArgs = JSON.parse(JSON.stringify({
      loss: {cls: dwb.config, flag: 'binaryCrossentropy', aux: focal.config},
      metrics: {cls: [imb.metrics.gmean().config, 'accuracy']},
      optimizer: {class_name: 'Adam', config: {}},
    }));
    const rebuilt = compileArgsFromJson(saved);
    const loss = rebuilt.loss as unknown as Record<string, imb.losses.LossFunction | string>;
    expect(loss.flag).toBe('binaryCrossentropy');
    const yTrue = tf.tensor1d([0, 2, 1], 'int32');
    const yPred = tf.softmax(tf.tensor2d([[1, 0, 0], [0, 0.5, 2], [0.3, 0.2, 0.1]]));
    for (const [key, original] of [['cls', dwb], ['aux', focal]] as const) {
      const again = loss[key] as imb.losses.LossFunction;
      expect(again).not.toBe(original);
      expect(again.config).toEqual(original.config);
      expectClose(again(yTrue, yPred).dataSync(), original(yTrue, yPred).dataSync(), 1e-6);
    }
    const metrics = rebuilt.metrics as unknown as Record<string, unknown[]>;
    expect(metrics.cls[1]).toBe('accuracy');
    expect((metrics.cls[0] as {config: unknown}).config).toEqual(imb.metrics.gmean().config);
    lossFunctionsOf(rebuilt.loss).forEach(fn => fn.dispose());
    tf.dispose([yTrue, yPred]);
    dwb.dispose();
    focal.dispose();
  });

  it('names the entry of an unknown loss and frees the losses already rebuilt', () => {
    // A CSL loss holds state tensors from construction: the first entry allocates, the second fails.
    const model = smallModel(4, 3, 'softmax', 1);
    const csl = imb.losses.csl({numClasses: 3});
    model.compile({optimizer: 'sgd', loss: csl});
    const cslEntry = compileArgsToJson(model)!.loss;
    const saved = {loss: [cslEntry, {name: 'nope', options: {}}], metrics: null, optimizer: {class_name: 'SGD', config: {}}} as unknown as SavedCompileArgs;
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      compileArgsFromJson(saved);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImbalancedInputError);
    expect((error as Error).message).toMatch(/^userDefinedMetadata\.tfjsImbalanced\.compile\.loss\[1\]\.name: expected one of .*dwb/);
    expect(tf.memory().numTensors).toBe(before);
    // The CSL entry alone rebuilds (and holds tensors until disposed).
    const rebuilt = compileArgsFromJson({...saved, loss: cslEntry});
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    lossFunctionsOf(rebuilt.loss).forEach(fn => fn.dispose());
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    csl.dispose();
  });
});

describe('helpers', () => {
  it('lossFunctionsOf finds our losses in one, a list or a map by output, and skips names', () => {
    const a = imb.losses.focal();
    const b = imb.losses.dwb({classCounts: COUNTS});
    expect(lossFunctionsOf(a)).toEqual([a]);
    expect(lossFunctionsOf([a, 'categoricalCrossentropy', b])).toEqual([a, b]);
    expect(lossFunctionsOf({x: 'mse', y: b})).toEqual([b]);
    expect(lossFunctionsOf('categoricalCrossentropy')).toEqual([]);
    expect(lossFunctionsOf((x: unknown) => x)).toEqual([]); // a function without dispose is not ours
    a.dispose();
    b.dispose();
  });

  it('checkOptimizerClass accepts registered optimizers only', () => {
    for (const name of ['Adam', 'SGD', 'RMSProp']) expect(() => checkOptimizerClass({class_name: name})).not.toThrow();
    expect(() => checkOptimizerClass({class_name: 'Dense'})).toThrow(/^userDefinedMetadata\.tfjsImbalanced\.compile\.optimizer\.class_name: expected a tf\.Optimizer class/);
    expect(() => checkOptimizerClass({class_name: 'Nadam'})).toThrow(ImbalancedInputError);
  });

  it('jsonSafe keeps JSON values, drops undefined members and names the place of anything else', () => {
    const value = {a: [1, 'x', null, true, {b: 2.5}], c: undefined};
    expect(jsonSafe(value, 'v')).toEqual({a: [1, 'x', null, true, {b: 2.5}]});
    expect(() => jsonSafe({a: [1, NaN]}, 'v')).toThrow(/^v\.a\[1\]: expected a finite number/);
    expect(() => jsonSafe({k: Infinity}, 'v')).toThrow(/^v\.k: expected a finite number/);
    expect(() => jsonSafe({base: function ce() {}}, 'v')).toThrow(/^v\.base: expected a JSON value .*got a function named "ce"/);
    expect(() => jsonSafe({when: new Date(0)}, 'v')).toThrow(/^v\.when: expected a JSON value/);
  });
});
