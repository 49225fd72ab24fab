/**
 * checkKeys everywhere: every public function of the datasets, Node loaders,
 * compare engine, report and calibration that takes an options object rejects
 * a misspelt key with an ImbalancedInputError naming the key (with its path for
 * nested options) and the closest valid name. Losses, metrics, callbacks, data
 * transforms, io and backend.init have their own tests of the same rule.
 */
import * as imb from '../../src';
import * as node from '../../src/node';
import type {CompareResult} from '../../src/compare/types';
import {blobs} from '../compare/fixtures';
import {inputErrorAsync} from '../helpers';

const CSV = 'a,b,class\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n';
const table = () => imb.datasets.parseCsvDataset(CSV);
const data = () => blobs([20, 10]);
const bins = () => imb.metrics.reliabilityDiagram([0, 1, 1], [[0.2], [0.9], [0.6]], {bins: 5}).bins;
/** Key checks come before anything reads the result, so an empty one is enough. */
const result = {} as CompareResult;
const idx = {
  images: {dtype: 'ubyte', dims: [1, 2, 2], data: new Uint8Array(4)},
  labels: {dtype: 'ubyte', dims: [1], data: new Uint8Array(1)},
} as unknown as {images: imb.datasets.IdxArray; labels: imb.datasets.IdxArray};
const logitSet = {logits: new Float32Array([1, 0, 0, 1]), labels: new Int32Array([0, 1]), numClasses: 2};
const evaluateOptions = {metrics: ['gmean'], threshold: 0.5, bins: 10, costs: null, classGroups: null};

/** [name, call with a misspelt key, the parameter named, the suggested key]. */
const CASES: [string, () => unknown, string, string][] = [
  ['data.kNeighbors', () => imb.data.kNeighbors(new Float32Array(8), 4, 2, 1, {kernal: 'js'} as never), 'kernal', 'kernel'],
  ['datasets.parseCsvDataset', () => imb.datasets.parseCsvDataset(CSV, {labelColum: 'class'} as never), 'labelColum', 'labelColumn'],
  ['datasets.stratifiedSplit', () => imb.datasets.stratifiedSplit(table(), {testFracton: 0.5} as never), 'testFracton', 'testFraction'],
  ['datasets.parseSatimage', () => imb.datasets.parseSatimage(CSV, {tsk: 'binary'} as never), 'tsk', 'task'],
  ['datasets.downsampleToRatio', () => imb.datasets.downsampleToRatio([0, 1], {minorityClasses: [1], ratio: 0.5, seed: 1, majoritSize: 2} as never), 'majoritSize', 'majoritySize'],
  ['datasets.oneVsRestBlock', () => imb.datasets.oneVsRestBlock([0, 1], {positiveClass: 1, blocksize: 1} as never), 'blocksize', 'blockSize'],
  ['datasets.imageDatasetFromIdx (sources)', () => imb.datasets.imageDatasetFromIdx(idx.images, idx.labels, undefined, {image: 'a.idx'} as never), 'image', 'images'],
  ['node datasets.satimage', () => node.datasets.satimage({tsk: 'binary'} as never), 'tsk', 'task'],
  ['node datasets.fashionMnist', () => node.datasets.fashionMnist({spilt: 'test'} as never), 'spilt', 'split'],
  ['compare.run', () => imb.compare.run(data(), {epoch: 3} as never), 'epoch', 'epochs'],
  ['compare.prepare', () => imb.compare.prepare(data(), {standardise: true} as never), 'standardise', 'standardize'],
  ['compare.prepare: a method entry', () => imb.compare.prepare(data(), {methods: [{method: 'ce', lable: 'x'} as never]}), 'methods[0].lable', 'label'],
  ['compare.prepare: method components', () => imb.compare.prepare(data(), {methods: [{method: 'smote+dwb', options: {smot: {k: 3}}}]}), 'methods[0].options.smot', 'smote'],
  ['compare.prepare: method options', () => imb.compare.prepare(data(), {methods: [{method: 'focal', options: {focal: {gama: 1}}}]}), 'methods[0].options.focal.gama', 'gamma'],
  ['compare.prepare: costs', () => imb.compare.prepare(data(), {costs: {costFN: 5, costFp: 1} as never}), 'costs.costFp', 'costFP'],
  ['compare.prepare: stratified splits', () => imb.compare.prepare(data(), {splits: {kind: 'stratified', tset: 0.3} as never}), 'splits.tset', 'test'],
  ['compare.prepare: fixed splits', () => imb.compare.prepare(data(), {splits: [{train: [0, 1, 2], test: [3, 4], validaton: [5]} as never]}), 'splits[0].validaton', 'validation'],
  ['compare.methodOptions', () => imb.compare.methodOptions(imb.compare.parseMethod('remix'), {remix: {alpah: 1}}), 'options.remix.alpah', 'alpha'],
  ['compare.mlp', () => imb.compare.mlp([8], {dropuot: 0.1} as never), 'dropuot', 'dropout'],
  ['compare.BestEpoch', () => new imb.compare.BestEpoch({monitor: 'val_loss', patiense: 3} as never), 'patiense', 'patience'],
  ['compare.evaluatePredictions', () => imb.compare.evaluatePredictions(new Int32Array([0, 1]), new Float32Array([0.9, 0.1, 0.2, 0.8]), 2, {...evaluateOptions, bin: 5} as never), 'bin', 'bins'],
  ['report.renderHtml', () => imb.report.renderHtml(result, {titel: 'x'} as never), 'titel', 'title'],
  ['report.reliabilitySvg', () => imb.report.reliabilitySvg(bins(), {overlayLable: 'TS'} as never), 'overlayLable', 'overlayLabel'],
  ['report.curvesSvg', () => imb.report.curvesSvg([], {bestEpoch: [1]} as never), 'bestEpoch', 'bestEpochs'],
  ['report.textTable', () => imb.report.textTable(result, {timng: false} as never), 'timng', 'timing'],
  ['report.markdownTable', () => imb.report.markdownTable(result, {budjet: 3} as never), 'budjet', 'budget'],
  ['report.htmlTable', () => imb.report.htmlTable(result, {Timing: false} as never), 'Timing', 'timing'],
  ['calibration.fitTemperature', () => imb.calibration.fitTemperature(logitSet, {maxIteration: 5} as never), 'maxIteration', 'maxIterations'],
];

describe('a misspelt option key is an error naming the closest valid one', () => {
  it.each(CASES)('%s', async (_name, call, parameter, suggested) => {
    const e = await inputErrorAsync(call);
    expect(e.parameter).toBe(parameter);
    expect(e.message).toContain(`did you mean '${suggested}'?`);
    expect(e.message).toMatch(/got an unknown option$/);
  });

  it('the same calls with the key spelt right pass the key check', async () => {
    expect(imb.datasets.parseCsvDataset(CSV, {labelColumn: 'class'}).numRows).toBe(4);
    expect(imb.datasets.stratifiedSplit(table(), {testFraction: 0.5}).test.numRows).toBe(2);
    expect(imb.datasets.imageDatasetFromIdx(idx.images, idx.labels, undefined, {images: 'a.idx'}).count).toBe(1);
    expect(imb.compare.prepare(data(), {epochs: 3, temperatureScale: true, splits: {kind: 'stratified', test: 0.3}}).config.epochs).toEqual([3]);
    expect(imb.compare.prepare(data(), {methods: [{method: 'ce', label: 'x'}], costs: {costFN: 5, costFP: 1}}).methods[0].label).toBe('x');
    expect(imb.compare.methodOptions(imb.compare.parseMethod('remix'), {remix: {alpha: 1}}).remix.alpha).toBe(1);
    expect(typeof imb.compare.mlp([8], {dropout: 0.1})).toBe('function');
    expect(new imb.compare.BestEpoch({monitor: 'val_loss', patience: 3})).toBeInstanceOf(imb.compare.BestEpoch);
    expect(imb.compare.evaluatePredictions(new Int32Array([0, 1]), new Float32Array([0.9, 0.1, 0.2, 0.8]), 2, evaluateOptions).metrics.gmean).toBe(1);
    expect(imb.report.reliabilitySvg(bins(), {overlayLabel: 'TS'})).toContain('<svg');
    expect(imb.report.curvesSvg([], {bestEpochs: [1]})).toContain('<svg');
    expect(imb.calibration.fitTemperature(logitSet, {maxIterations: 5})).toBeGreaterThan(0);
  });
});
