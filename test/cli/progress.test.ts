import {ProgressPrinter} from '../../src/cli/progress';
import type {RunResult} from '../../src/compare/types';

function result(method: string, repeat: number, epochsRun: number, error?: string): RunResult {
  return {
    method, methodName: method, repeat, seeds: {split: 0, init: 0, data: 0}, rows: {train: 1, validation: 1, test: 1, trainCounts: [1]},
    epochsRun, bestEpoch: 2, seconds: 1.25, history: {},
    evaluations: error ? [] : [{budget: 4, calibrated: false, epoch: 2, threshold: 0.5, metrics: {gmean: 0.8765}, confusion: [], reliability: [], perClass: {recall: [], precision: [], f1: []}}],
    ...(error ? {error} : {}),
  };
}

describe('ProgressPrinter', () => {
  it('on a terminal: redraws one line with run, method, repeat, epoch, the monitored value and an ETA', () => {
    let out = '';
    let now = 0;
    const p = new ProgressPrinter({write: s => (out += s), isTTY: true, columns: 200}, {monitor: 'val_gmean', testMetric: {key: 'gmean', label: 'g-mean'}, refreshMs: 0, now: () => now});
    const run = (index: number, method: string) => ({method, repeat: 0, index, total: 2});
    p.handle({type: 'start', runs: 2, epochs: 4, methods: ['ce', 'dwb'], repeats: 1});
    now = 2000;
    p.handle({type: 'epoch', run: run(0, 'ce'), epoch: 0, epochs: 4, logs: {loss: 1, val_gmean: 0.5}});
    // 1 epoch in 2 s; 3 more epochs of this run and 4 of the next: 14 s.
    expect(out).toMatch(/\r\x1b\[2K\[ +\] 1\/2 {2}ce {2}repeat 1\/1 {2}epoch 1\/4 {2}val_gmean 0\.500 {2}ETA 14\.0s$/);
    p.handle({type: 'runEnd', run: run(0, 'ce'), result: result('ce', 0, 4)});
    expect(out.endsWith('\r\x1b[2K[1/2] ce   repeat 1/1  best epoch 2/4  test g-mean 0.876  1.3s\n')).toBe(true);
    p.handle({type: 'runEnd', run: run(1, 'dwb'), result: result('dwb', 0, 3, 'the training loss became NaN in epoch 3')});
    expect(out.endsWith('[2/2] dwb  repeat 1/1  FAILED: the training loss became NaN in epoch 3\n')).toBe(true);
  });

  it('elsewhere: no redraws, only the start line and one line per run (the last budget, else the first)', () => {
    let out = '';
    const p = new ProgressPrinter({write: s => (out += s)}, {monitor: null, testMetric: {key: 'gmean', label: 'g-mean'}});
    p.handle({type: 'start', runs: 1, epochs: 2, methods: ['ce'], repeats: 1});
    p.handle({type: 'epoch', run: {method: 'ce', repeat: 0, index: 0, total: 1}, epoch: 0, epochs: 2, logs: {loss: 1}});
    p.handle({type: 'runEnd', run: {method: 'ce', repeat: 0, index: 0, total: 1}, result: result('ce', 0, 2)});
    p.handle({type: 'end', seconds: 1});
    expect(out).toBe('training 1 method x 1 repeat = 1 runs, up to 2 epochs each\n[1/1] ce  repeat 1/1  best epoch 2/2  test g-mean 0.876  1.3s\n');
  });
});
