import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as imb from '../../src';
import {ImbalancedInputError} from '../../src/errors';
import {cslStateToJson, restoreCslState} from '../../src/io/cslState';
import * as lossesModule from '../../src/losses';
import {LossFunction} from '../../src/losses';

const realFromConfig = lossesModule.fromConfig;
import {smallModel, toyData} from '../helpers';
import {block, memorySink, roundTrip, saveToMemory, throughJson} from './memory';

const COUNTS = [20, 8, 4];

function twoHeadModel(): tf.LayersModel {
  const input = tf.input({shape: [4]});
  const hidden = tf.layers.dense({units: 6, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}).apply(input) as tf.SymbolicTensor;
  const cls = tf.layers.dense({units: 3, activation: 'softmax', name: 'cls', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}).apply(hidden) as tf.SymbolicTensor;
  const flag = tf.layers.dense({units: 1, activation: 'sigmoid', name: 'flag', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}).apply(hidden) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: [cls, flag]});
}

function twoHeadData(): {xs: tf.Tensor2D; ys: tf.Tensor[]} {
  const {xs, labels} = toyData(32, 4, COUNTS, 5);
  return {xs, ys: [tf.oneHot(tf.tensor1d(labels, 'int32'), 3), tf.tensor2d(labels.map(l => (l === 2 ? 1 : 0)), [32, 1])]};
}

function scalars(result: tf.Scalar | tf.Scalar[]): number[] {
  return (Array.isArray(result) ? result : [result]).map(t => {
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  });
}

function compiledSmall(loss: string | LossFunction = imb.losses.dwb({classCounts: COUNTS})): tf.LayersModel {
  const model = smallModel(4, 3, 'softmax', 9);
  model.compile({optimizer: tf.train.adam(0.01), loss, metrics: [imb.metrics.ece()]});
  return model;
}

/** Artifacts of a compiled model with the metadata block edited by `edit`. */
async function editedBlock(edit: (b: Record<string, any>) => void): Promise<tf.io.ModelArtifacts> {
  const model = compiledSmall();
  const artifacts = await saveToMemory(model);
  imb.io.dispose(model);
  edit(block(artifacts) as unknown as Record<string, any>);
  return artifacts;
}

describe('multi-output models', () => {
  it.each([
    ['an array of losses', () => [imb.losses.dwb({classCounts: COUNTS}), 'binaryCrossentropy']],
    ['losses by output name', () => ({cls: imb.losses.focal({gamma: 1}), flag: imb.losses.rwwceBinary({costFN: 3, costFP: 1})})],
  ] as Array<[string, () => tf.ModelCompileArgs['loss']]>)('%s, metrics by output name (lists allowed)', async (_, makeLoss) => {
    const {xs, ys} = twoHeadData();
    const model = twoHeadModel();
    const metrics = {cls: [imb.metrics.gmean(), 'accuracy'], flag: imb.metrics.auroc()} as unknown as tf.ModelCompileArgs['metrics'];
    model.compile({optimizer: tf.train.sgd(0.1), loss: makeLoss(), metrics});
    await model.fit(xs, ys, {epochs: 1, batchSize: 8, verbose: 0});
    const loaded = await roundTrip(model, {includeOptimizer: true});
    const configOf = (x: unknown): unknown => (typeof x === 'function' ? (x as LossFunction).config : Array.isArray(x) ? x.map(configOf) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, configOf(v)])) : x);
    expect(configOf(loaded.loss)).toEqual(configOf(model.loss));
    expect(configOf(loaded.metrics)).toEqual(configOf(model.metrics));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    const predict = (m: tf.LayersModel) => tf.tidy(() => (m.predict(xs) as tf.Tensor[]).map(t => t.arraySync()));
    expect(predict(loaded)).toEqual(predict(model));
    expect(scalars(loaded.evaluate(xs, ys) as tf.Scalar[])).toEqual(scalars(model.evaluate(xs, ys) as tf.Scalar[]));
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    tf.dispose([xs, ...ys]);
  });
});

describe('models saved without compile arguments', () => {
  it('an uncompiled model: weights and topology; load returns it uncompiled, compile: true throws', async () => {
    const model = smallModel(4, 3, 'softmax', 2);
    const artifacts = await saveToMemory(model, {includeOptimizer: true});
    expect(block(artifacts)).toEqual({version: imb.io.FORMAT_VERSION, compile: null, optimizerWeights: false});
    const loaded = await imb.io.load(tf.io.fromMemory(artifacts));
    expect(loaded.optimizer).toBeUndefined();
    const x = tf.ones([2, 4]);
    expect(tf.tidy(() => (loaded.predict(x) as tf.Tensor).arraySync())).toEqual(tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync()));
    await expect(imb.io.load(tf.io.fromMemory(artifacts), {compile: true})).rejects.toThrow(/compile: expected false, or a model saved compiled .* got true for a model saved before compile/);
    [model, loaded, x].forEach(t => t.dispose());
  });

  it('plain model.save: loads uncompiled; compile: true names the cause', async () => {
    const model = compiledSmall();
    const sink = memorySink();
    await model.save(sink.handler);
    const loaded = await imb.io.load(tf.io.fromMemory(sink.artifacts()));
    expect(loaded.optimizer).toBeUndefined();
    await expect(imb.io.load(tf.io.fromMemory(sink.artifacts()), {compile: true})).rejects.toThrow(/got true for a model saved without compile arguments \(plain model.save\)/);
    imb.io.dispose(model);
    loaded.dispose();
  });

  it('plain model.save with includeOptimizer and string losses: compiled by tfjs as tf.loadLayersModel does', async () => {
    const model = smallModel(4, 3, 'softmax', 9);
    model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
    const sink = memorySink();
    await model.save(sink.handler, {includeOptimizer: true});
    const loaded = await imb.io.load(tf.io.fromMemory(sink.artifacts()), {compile: true});
    expect(loaded.loss).toBe('categoricalCrossentropy');
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    const uncompiled = await imb.io.load(tf.io.fromMemory(sink.artifacts()), {compile: false});
    expect(uncompiled.optimizer).toBeUndefined();
    [model, loaded, uncompiled].forEach(m => imb.io.dispose(m));
  });

  it("plain model.save with this package's metrics in tfjs' training config: a clear error, and compile: false loads it", async () => {
    const model = compiledSmall('categoricalCrossentropy'); // metrics: [imb.metrics.ece()]
    const sink = memorySink();
    await model.save(sink.handler, {includeOptimizer: true});
    expect(sink.artifacts().trainingConfig).toMatchObject({metrics: ['ece']});
    await expect(imb.io.load(tf.io.fromMemory(sink.artifacts()))).rejects.toThrow(
      /^trainingConfig: expected a tfjs training config of tfjs loss and metric names \(.*load it with \{compile: false\}.*\), got Unknown metric ece$/,
    );
    const uncompiled = await imb.io.load(tf.io.fromMemory(sink.artifacts()), {compile: false});
    expect(uncompiled.optimizer).toBeUndefined();
    imb.io.dispose(model);
    uncompiled.dispose();
  });
});

describe('the saved file', () => {
  it('is an ordinary tfjs model: tf.loadLayersModel reads it uncompiled, with the same weights', async () => {
    const model = compiledSmall();
    const artifacts = await saveToMemory(model, {includeOptimizer: true});
    expect(artifacts.trainingConfig).toBeUndefined();
    expect(artifacts.weightSpecs!.some(s => s.group === 'optimizer')).toBe(true);
    const plain = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(plain.optimizer).toBeUndefined();
    expect(plain.getWeights().map(w => w.arraySync())).toEqual(model.getWeights().map(w => w.arraySync()));
    imb.io.dispose(model);
    plain.dispose();
  });

  it("keeps the user's own metadata; the loaded model does not carry the block", async () => {
    const model = compiledSmall();
    model.setUserDefinedMetadata({dataset: 'satimage', classes: [0, 1, 2]});
    const artifacts = await saveToMemory(model);
    expect(Object.keys(artifacts.userDefinedMetadata!).sort()).toEqual(['dataset', 'classes', imb.io.METADATA_KEY].sort());
    expect(model.getUserDefinedMetadata()).toEqual({dataset: 'satimage', classes: [0, 1, 2]}); // the model is not changed
    const loaded = await imb.io.load(tf.io.fromMemory(artifacts));
    expect(loaded.getUserDefinedMetadata()).toEqual({dataset: 'satimage', classes: [0, 1, 2]});
    // Saving the loaded model again writes a fresh block (not a stale copy).
    const again = await saveToMemory(loaded);
    expect(block(again)).toEqual(block(artifacts));
    imb.io.dispose(model);
    imb.io.dispose(loaded);
  });

  it('a CSL loss stores its state as JSON numbers that read back to the same float32 values (property)', () => {
    const float32 = fc.float({noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e30), max: Math.fround(1e30)});
    fc.assert(fc.property(fc.array(float32, {minLength: 3, maxLength: 3}), fc.array(fc.nat(1000), {minLength: 3, maxLength: 3}), (sums, counts) => {
      const loss = imb.losses.csl({numClasses: 3});
      const restored = imb.losses.csl({numClasses: 3});
      tf.tidy(() => {
        loss.state.normSum.assign(tf.tensor1d(sums));
        loss.state.a.assign(tf.tensor1d(sums.map(Math.abs)));
        loss.state.prevCounts.assign(tf.tensor1d(counts));
      });
      const json = JSON.parse(JSON.stringify(cslStateToJson(loss.state)));
      restoreCslState(restored.state, json, 'state');
      // JSON has no -0 (it reads back as 0, the same value in every computation).
      const noNegativeZero = (json: unknown) => JSON.parse(JSON.stringify(json));
      expect(cslStateToJson(restored.state)).toEqual(noNegativeZero(cslStateToJson(loss.state)));
      loss.dispose();
      restored.dispose();
    }), {seed: 7, numRuns: 50});
  });
});

describe('loss options round-trip for any valid option values (property)', () => {
  it('focal / classBalanced / weightedCrossEntropy: same config and same loss values after load', async () => {
    const {xs, labels} = toyData(16, 4, COUNTS, 2);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const weight = fc.double({min: 0.05, max: 20, noNaN: true});
    const lossArb = fc.oneof(
      fc.record({gamma: fc.double({min: 0, max: 5, noNaN: true}), alpha: fc.array(weight, {minLength: 3, maxLength: 3}), fromLogits: fc.constant(false)}).map(o => imb.losses.focal(o)),
      fc.record({beta: fc.double({min: 0, max: 0.9999, noNaN: true}), base: fc.constantFrom('softmax' as const, 'sigmoid' as const, 'focal' as const)}).map(o => imb.losses.classBalanced({classCounts: COUNTS, ...o})),
      fc.array(weight, {minLength: 3, maxLength: 3}).map(w => imb.losses.weightedCrossEntropy({classWeights: w, reduction: 'mean'})),
    );
    await fc.assert(fc.asyncProperty(lossArb, async loss => {
      const model = compiledSmall(loss);
      const loaded = await roundTrip(model);
      expect((loaded.loss as LossFunction).config).toEqual(loss.config);
      expect(scalars(loaded.evaluate(xs, ys) as tf.Scalar[])).toEqual(scalars(model.evaluate(xs, ys) as tf.Scalar[]));
      imb.io.dispose(model);
      imb.io.dispose(loaded);
    }), {seed: 3, numRuns: 15});
    tf.dispose([xs, ys]);
  });
});

describe('bad input', () => {
  const expectInputError = async (p: Promise<unknown>, message: RegExp) => {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImbalancedInputError);
    expect((error as Error).message).toMatch(message);
  };

  it('an unknown loss or metric name in the metadata, with where it is', async () => {
    const lossArtifacts = await editedBlock(b => {
      b.compile.loss.name = 'dwbb';
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(lossArtifacts)), /^userDefinedMetadata\.tfjsImbalanced\.compile\.loss\.name: expected one of dwb, .*got "dwbb"$/);
    const metricArtifacts = await editedBlock(b => {
      b.compile.metrics[0].name = 'eceee';
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(metricArtifacts)), /compile\.metrics\[0\]\.name: expected one of ece, .*got "eceee"/);
    const optionArtifacts = await editedBlock(b => {
      b.compile.loss.options.classWeights = [1, -2, 3];
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(optionArtifacts)), /compile\.loss\.options\.classWeights\[1\]: expected a finite number > 0, got -2/);
  });

  it('an unknown optimizer class', async () => {
    const artifacts = await editedBlock(b => {
      b.compile.optimizer.class_name = 'Lion';
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(artifacts)), /compile\.optimizer\.class_name: expected a tf\.Optimizer class registered .* got "Lion"/);
  });

  it('a metadata block from a newer version, or a malformed one', async () => {
    const future = await editedBlock(b => {
      b.version = imb.io.FORMAT_VERSION + 1;
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(future)), /tfjsImbalanced\.version: expected a format version <= 1 \(the model was saved by a newer tfjs-imbalanced: upgrade the package to load it\), got 2/);
    const malformed = await editedBlock(b => {
      delete b.compile.optimizer;
    });
    await expectInputError(imb.io.load(tf.io.fromMemory(malformed)), /compile\.optimizer: expected an object \{class_name, config\}/);
    const badState = await (async () => {
      const model = compiledSmall(imb.losses.csl({numClasses: 3}));
      const artifacts = await saveToMemory(model);
      imb.io.dispose(model);
      (block(artifacts).compile!.loss as {state: {a: number[]}}).state.a = [0, 1];
      return artifacts;
    })();
    await expectInputError(imb.io.load(tf.io.fromMemory(badState)), /compile\.loss\.state\.a: expected an array of length 3/);
  });

  it('a wrong destination or source', async () => {
    const model = compiledSmall();
    await expectInputError(imb.io.save(model, 42 as never), /^destination: expected a URL with a registered scheme .* or a tf\.io\.IOHandler with a save\(\) method, got 42$/);
    await expectInputError(imb.io.save(model, {load: async () => ({})} as never), /^destination: expected/);
    await expectInputError(imb.io.save(model, 'ftp://somewhere/model'), /^destination: expected a URL with a registered scheme.*got "ftp:\/\/somewhere\/model"$/);
    await expectInputError(imb.io.load(null as never), /^source: expected .* a tf\.io\.IOHandler with a load\(\) method, got null$/);
    await expectInputError(imb.io.load('nowhere://model'), /^source: expected a URL with a registered scheme/);
    await expectInputError(imb.io.save({} as never, memorySink().handler), /^model: expected a tf\.LayersModel/);
    imb.io.dispose(model);
  });

  it('unknown or mistyped options', async () => {
    const model = compiledSmall();
    await expectInputError(imb.io.save(model, memorySink().handler, {includeOptimiser: true} as never), /^includeOptimiser: expected an option of io.save: did you mean 'includeOptimizer'\? \(io.save takes includeOptimizer\), got an unknown option$/);
    await expectInputError(imb.io.save(model, memorySink().handler, {includeOptimizer: 'yes'} as never), /^includeOptimizer: expected a boolean, got "yes"$/);
    const artifacts = await saveToMemory(model);
    await expectInputError(imb.io.load(tf.io.fromMemory(artifacts), {compile: 1} as never), /^compile: expected a boolean, got 1$/);
    await expectInputError(imb.io.load(tf.io.fromMemory(artifacts), {strict: true, weights: 1} as never), /^weights: expected an option of io.load: \(io.load takes compile, strict\), got an unknown option$/);
    imb.io.dispose(model);
  });

  it('a loss or metric that cannot be stored fails before anything is written', async () => {
    const custom = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.meanSquaredError(yTrue, yPred);
    const cases: Array<[tf.ModelCompileArgs, RegExp]> = [
      [{optimizer: 'sgd', loss: custom}, /^model\.loss: expected a loss of this package .* or a tfjs loss name such as 'categoricalCrossentropy', got a function named "custom" without a config$/],
      [{optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['accuracy', custom]}, /^model\.metrics\[1\]: expected a metric of this package/],
      [{optimizer: 'sgd', loss: imb.losses.csl({numClasses: 3, base: custom as never})}, /^model\.loss\.config\.options\.base: expected a JSON value .* got a function named "custom" without a config$/],
    ];
    for (const [args, message] of cases) {
      const model = smallModel(4, 3, 'softmax', 1);
      model.compile(args);
      const sink = memorySink();
      await expectInputError(imb.io.save(model, sink.handler), message);
      expect(sink.calls()).toBe(0);
      imb.io.dispose(model);
    }
  });
});

describe('tensor memory', () => {
  /** Tensors a CSL loss keeps after create + dispose (its own; 0 once losses/cslState.ts frees its initial zeros). */
  function cslResidue(): number {
    const before = tf.memory().numTensors;
    imb.losses.csl({numClasses: 3}).dispose();
    return tf.memory().numTensors - before;
  }

  it.each([
    ['dwb', () => imb.losses.dwb({classCounts: COUNTS}), 0],
    ['csl', () => imb.losses.csl({numClasses: 3}), -1],
  ] as Array<[string, () => LossFunction, number]>)('%s: save adds no tensor; load + fit + io.dispose returns to the start; a failed load keeps nothing', async (_, makeLoss, residue) => {
    const perLoss = residue < 0 ? cslResidue() : residue;
    const model = compiledSmall(makeLoss());
    const {xs, labels} = toyData(16, 4, COUNTS, 4);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    await model.fit(xs, ys, {epochs: 1, batchSize: 8, verbose: 0});
    let start = tf.memory().numTensors;
    const artifacts = await saveToMemory(model, {includeOptimizer: true});
    expect(tf.memory().numTensors).toBe(start);
    for (let i = 0; i < 3; i++) {
      const loaded = await imb.io.load(tf.io.fromMemory(artifacts));
      await loaded.fit(xs, ys, {epochs: 1, batchSize: 8, verbose: 0});
      imb.io.dispose(loaded);
      expect((loaded.loss as Partial<imb.losses.CslLossFunction>).state?.isDisposed ?? true).toBe(true);
      expect(tf.memory().numTensors).toBe(start + perLoss);
      start += perLoss;
    }
    // The loss is built before the metric fails: it is disposed again.
    const broken = throughJson(artifacts);
    (block(broken).compile!.metrics as Array<{name: string}>)[0].name = 'nope';
    await expect(imb.io.load(tf.io.fromMemory(broken))).rejects.toThrow(ImbalancedInputError);
    start += perLoss;
    expect(tf.memory().numTensors).toBe(start);
    imb.io.dispose(model);
    tf.dispose([xs, ys]);
  });

  it('when tfjs fails to read the weights, the losses load built are disposed', async () => {
    const model = compiledSmall(imb.losses.csl({numClasses: 3}));
    const artifacts = await saveToMemory(model);
    artifacts.weightSpecs = artifacts.weightSpecs!.slice(1); // a weight missing: tfjs throws after the losses were built
    const built: LossFunction[] = [];
    const spy = jest.spyOn(lossesModule, 'fromConfig').mockImplementation(config => {
      const loss = realFromConfig(config);
      built.push(loss);
      return loss;
    });
    await expect(imb.io.load(tf.io.fromMemory(artifacts))).rejects.toThrow();
    spy.mockRestore();
    expect(built).toHaveLength(1);
    expect((built[0] as imb.losses.CslLossFunction).state.isDisposed).toBe(true);
    imb.io.dispose(model);
  });
});
