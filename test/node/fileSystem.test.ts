import * as tf from '@tensorflow/tfjs';
import {promises as fs} from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as imb from '../../src';
import {ImbalancedInputError} from '../../src/errors';
import {LossFunction} from '../../src/losses';
import * as imbNode from '../../src/node';
import {fileSystem, registerFileSystemRouter} from '../../src/node/fileSystem';
import {smallModel, toyData} from '../helpers';

const COUNTS = [20, 8, 4];
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imb-io-'));
});
afterEach(async () => {
  await fs.rm(dir, {recursive: true, force: true});
});

function trainedModel(): Promise<tf.LayersModel> {
  const model = smallModel(4, 3, 'softmax', 4);
  model.compile({optimizer: tf.train.adam(0.01), loss: imb.losses.csl({numClasses: 3, base: imb.losses.dwb({classCounts: COUNTS})}), metrics: [imb.metrics.gmean(), 'accuracy']});
  const {xs, labels} = toyData(24, 4, COUNTS, 8);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  return model.fit(xs, ys, {epochs: 1, batchSize: 8, verbose: 0}).then(() => {
    tf.dispose([xs, ys]);
    return model;
  });
}

function predictions(model: tf.LayersModel): number[][] {
  return tf.tidy(() => (model.predict(tf.linspace(-1, 1, 12).reshape([3, 4])) as tf.Tensor).arraySync() as number[][]);
}

describe('fileSystem(dir): model.json + weights.bin', () => {
  it('round trip in a temp dir: files, identical predictions, same configs, optimizer state', async () => {
    const model = await trainedModel();
    await imb.io.save(model, fileSystem(dir), {includeOptimizer: true});
    expect((await fs.readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{paths: ['weights.bin'], weights: expect.any(Array)}]);
    expect(json.userDefinedMetadata[imb.io.METADATA_KEY].optimizerWeights).toBe(true);
    const loaded = await imb.io.load(fileSystem(dir));
    expect(predictions(loaded)).toEqual(predictions(model));
    expect((loaded.loss as LossFunction).config).toEqual((model.loss as LossFunction).config);
    expect(await loaded.optimizer.getWeights().then(ws => ws.length)).toBe(await model.optimizer.getWeights().then(ws => ws.length));
    // The path of model.json works as well (tfjs-node's convention for loading).
    const again = await imb.io.load(fileSystem(path.join(dir, 'model.json')));
    expect(predictions(again)).toEqual(predictions(model));
    [model, loaded, again].forEach(m => imb.io.dispose(m));
  });

  it('creates missing directories; a missing model gives a clear error', async () => {
    const model = smallModel(4, 3);
    const nested = path.join(dir, 'a', 'b');
    await imb.io.save(model, fileSystem(nested));
    expect((await fs.readdir(nested)).sort()).toEqual(['model.json', 'weights.bin']);
    await expect(imb.io.load(fileSystem(path.join(dir, 'missing')))).rejects.toThrow(ImbalancedInputError);
    await expect(imb.io.load(fileSystem(path.join(dir, 'missing')))).rejects.toThrow(/^location: expected a directory holding model\.json, or the path of a model JSON file, got .*missing\/model\.json \(ENOENT/);
    expect(() => fileSystem('')).toThrow(/^location: expected a directory or a path ending in \.json/);
    model.dispose();
  });

  it("file:// URLs after importing the Node entry: io.save / io.load, and tfjs' own model.save / tf.loadLayersModel", async () => {
    // Importing tfjs-imbalanced/node registered the router (no call needed); calling again changes nothing.
    expect(tf.io.getSaveHandlers(`file://${dir}`)).toHaveLength(1);
    expect(tf.io.getLoadHandlers(`file://${dir}`)).toHaveLength(1);
    registerFileSystemRouter();
    expect(tf.io.getSaveHandlers(`file://${dir}`)).toHaveLength(1);
    expect(imbNode.io.fileSystem).toBe(fileSystem);
    expect(imbNode.io.save).toBe(imb.io.save);
    const model = await trainedModel();
    await imb.io.save(model, `file://${dir}/imb`);
    const loaded = await imb.io.load(`file://${dir}/imb`);
    expect(predictions(loaded)).toEqual(predictions(model));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    await model.save(`file://${dir}/plain`);
    const plain = await tf.loadLayersModel(`file://${dir}/plain/model.json`);
    expect(predictions(plain)).toEqual(predictions(model));
    [model, loaded].forEach(m => imb.io.dispose(m));
    plain.dispose();
  });
});
