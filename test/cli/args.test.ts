import {helpText, parseArgs, UsageError} from '../../src/cli/args';

describe('parseArgs', () => {
  it('reads compare options in both --key value and --key=value forms, with defaults', () => {
    const a = parseArgs(['compare', '--data', 'x.csv', '--label=target', '--methods', 'ce, dwb,smote+focal', '--set', 'focal.gamma=1',
      '--set', 'smote.k=3', '--set', 'wce.classWeights=[1,4]', '--epochs', '5,20', '--hidden', '16', '--threshold', 'tuned', '--temperature-scale',
      '--monitor', 'none', '--split', '0.1,0.3', '--delimiter', 'tab', '--quiet']);
    expect(a).toMatchObject({
      command: 'compare', data: 'x.csv', label: 'target', labels: 'sorted', delimiter: '\t', methods: ['ce', 'dwb', 'smote+focal'],
      set: {focal: {gamma: 1}, smote: {k: 3}, wce: {classWeights: [1, 4]}}, epochs: [5, 20], hidden: [16], threshold: 'tuned',
      temperatureScale: true, monitor: null, split: {validation: 0.1, test: 0.3}, quiet: true, batchSize: 64, repeats: 3, seed: 0,
      patience: 10, bins: 15, lr: 0.001,
    });
    const d = parseArgs(['compare']);
    expect(d).toMatchObject({command: 'compare', data: undefined, dataset: undefined, monitor: 'val_gmean', threshold: 0.5, epochs: [30], hidden: [64, 32]});
    expect(parseArgs(['compare', '--split', '0,0.25'])).toMatchObject({monitor: null, split: {validation: 0, test: 0.25}});
    expect(parseArgs(['compare', '--patience', 'none'])).toMatchObject({patience: Infinity});
    expect(parseArgs(['render', 'r.json', '--markdown', '-'])).toEqual({command: 'render', input: 'r.json', out: undefined, markdown: '-'});
    expect(parseArgs([])).toEqual({command: 'help', topic: undefined});
    expect(parseArgs(['compare', '-h'])).toEqual({command: 'help', topic: 'compare'});
    expect(parseArgs(['--version'])).toEqual({command: 'version'});
  });

  const usage: [string[], RegExp][] = [
    [['train'], /^unknown command "train": expected compare or render/],
    [['compare', '--epoch', '3'], /^unknown option --epoch for compare \(did you mean --epochs\?\)/],
    [['compare', '--bach-size', '3'], /^unknown option --bach-size for compare \(did you mean --batch-size\?\)/], // not --backend (same first letters)
    [['compare', '--thresold-metric', 'f1'], /^unknown option --thresold-metric for compare \(did you mean --threshold-metric\?\)/],
    [['compare', '--zzz'], /^unknown option --zzz for compare\. /],
    [['compare', '--epochs', 'x'], /^--epochs: expected an integer >= 1, got "x"/],
    [['compare', '--epochs', '0'], /^--epochs: expected an integer >= 1, got "0"/],
    [['compare', '--epochs'], /^--epochs needs a value \(N\)/],
    [['compare', '--lr', '0'], /^--lr: expected a number > 0, got "0"/],
    [['compare', '--threshold', '1.5'], /^--threshold: expected a number >= 0 and <= 1, got "1.5"/],
    [['compare', '--split', '0.5,0.5'], /^--split: validation \+ test must be below 1/],
    [['compare', '--split', '0.2'], /^--split: expected two fractions V,T/],
    [['compare', '--data', 'a.csv', '--labels', 'alpha'], /^--labels: expected one of sorted, appearance, index, got "alpha"/],
    [['compare', '--data', 'a.csv', '--dataset', 'glass'], /^give --data or --dataset, not both/],
    [['compare', '--label', 'y'], /^--label applies to --data only/],
    [['compare', '--dataset', 'iris'], /^--dataset: expected one of satimage-binary, satimage, glass, got "iris"/],
    [['compare', '--backend', 'gpu'], /^--backend: expected one of node-gpu, node, wasm, webgl, webgpu, cpu/],
    [['compare', '--set', 'gamma=1'], /^--set: expected METHOD\.OPTION=VALUE \(e\.g\. focal\.gamma=1\), got "gamma=1"/],
    [['compare', '--methods', ','], /^--methods: expected at least one method/],
    [['compare', '--data', 'a.csv', '--delimiter', '::'], /^--delimiter: expected one character/],
    [['compare', '--quiet=yes'], /^--quiet takes no value/],
    [['compare', '--seed', '1', '--seed', '2'], /^--seed given twice/],
    [['compare', 'extra'], /^unexpected argument "extra"/],
    [['render'], /^render: expected one RESULTS\.json file, got 0/],
  ];
  it.each(usage)('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('help lists every option of compare and the exit codes', () => {
    const text = helpText('compare');
    for (const flag of ['--data', '--label', '--dataset', '--methods', '--set', '--epochs', '--batch-size', '--hidden', '--repeats', '--seed', '--backend',
      '--threshold', '--temperature-scale', '--monitor', '--costs', '--json', '--out']) expect(text).toContain(flag);
    expect(text).toContain('Exit codes: 0 success, 2 usage or input error, 1 a run failed');
    expect(Math.max(...text.split('\n').map(l => l.length))).toBeLessThanOrEqual(160);
  });
});
