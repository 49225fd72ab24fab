import {checkBoolean, checkClassCounts, checkClassWeights, checkCostMatrix, checkKeys, checkNumber, checkNumberArray, checkOneOf, closestName, editDistance} from '../../src/core/validate';
import {ImbalancedInputError, describeValue} from '../../src/errors';

describe('validation helpers', () => {
  it('checkNumber enforces finiteness, bounds and integrality, naming the parameter', () => {
    expect(checkNumber('x', 0.5, {min: 0, max: 1, openMin: true, openMax: true})).toBe(0.5);
    expect(() => checkNumber('lambda', 1, {min: 0, max: 1, openMin: true, openMax: true})).toThrow('lambda: expected a finite number > 0 and < 1, got 1');
    expect(() => checkNumber('k', 2.5, {integer: true})).toThrow(/k: expected an integer/);
    expect(() => checkNumber('alpha', NaN)).toThrow(/alpha: expected a finite number, got NaN/);
    expect(() => checkNumber('alpha', '1' as unknown as number)).toThrow(ImbalancedInputError);
  });

  it('checkNumberArray checks type, emptiness, length and each element', () => {
    expect(checkNumberArray('w', new Float32Array([1, 2]))).toEqual([1, 2]);
    expect(() => checkNumberArray('w', [])).toThrow(/w: expected a non-empty array/);
    expect(() => checkNumberArray('w', [1, 2], {length: 3})).toThrow(/w: expected an array of length 3/);
    expect(() => checkNumberArray('w', 5)).toThrow(/w: expected an array of numbers, got 5/);
    expect(() => checkNumberArray('w', [1, -1], {min: 0})).toThrow(/w\[1\]: expected a finite number >= 0, got -1/);
  });

  it('class counts must be > 0, weights > 0', () => {
    expect(() => checkClassCounts('classCounts', [5, 0])).toThrow(/classCounts\[1\]: expected a count > 0/);
    expect(() => checkClassWeights('classWeights', [1, 0])).toThrow(/classWeights\[1\]: expected a finite number > 0/);
    expect(checkClassWeights('classWeights', [0.5, 2], 2)).toEqual([0.5, 2]);
  });

  it('cost matrices: shape, non-negative, zero diagonal', () => {
    expect(checkCostMatrix('costFP', [[0, 1], [2, 0]], 2, {zeroDiagonal: true})).toEqual([[0, 1], [2, 0]]);
    expect(() => checkCostMatrix('costFP', [[0, 1]], 2)).toThrow(/costFP: expected a 2 x 2 matrix/);
    expect(() => checkCostMatrix('costFP', [[1, 1], [1, 0]], 2, {zeroDiagonal: true})).toThrow(/costFP\[0\]\[0\]: expected 0 on the diagonal/);
    expect(() => checkCostMatrix('costFP', [[0, -1], [1, 0]], 2)).toThrow(/costFP\[0\]\[1\]: expected a finite number >= 0, got -1/);
  });

  it('checkOneOf lists the allowed values', () => {
    expect(checkOneOf('mode', 'a', ['a', 'b'])).toBe('a');
    expect(() => checkOneOf('mode', 'c', ['a', 'b'])).toThrow("mode: expected one of 'a', 'b', got \"c\"");
  });

  it('checkBoolean accepts booleans only, naming the parameter', () => {
    expect(checkBoolean('shuffle', false)).toBe(false);
    expect(() => checkBoolean('shuffle', 'yes')).toThrow('shuffle: expected a boolean, got "yes"');
    expect(() => checkBoolean('fromLogits', 1)).toThrow(ImbalancedInputError);
  });

  it('describeValue keeps messages short', () => {
    expect(describeValue(Array.from({length: 20}, (_, i) => i))).toMatch(/\(20 items\)/);
    expect(describeValue({shape: [2, 3]})).toBe('a tensor of shape [2, 3]');
    // A function by its name, never its source (any check given a function, e.g. focal({gamma: () => 2})).
    expect(describeValue(function myLoss() { return 'a long body'; })).toBe('a function named "myLoss"');
    expect(describeValue([() => 1])).toBe('[a function named "anonymous"]');
    expect(() => checkNumber('gamma', () => 2)).toThrow('gamma: expected a finite number, got a function named "anonymous"');
  });

  it('editDistance counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('regulariser', 'regularizer')).toBe(1);
    expect(editDistance('alpah', 'alpha')).toBe(1); // one swap
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('closestName suggests only likely typos', () => {
    const names = ['regularizer', 'detachWeight', 'fromLogits', 'reduction', 'k'];
    expect(closestName('regulariser', names)).toBe('regularizer');
    expect(closestName('fromlogits', names)).toBe('fromLogits'); // case is ignored
    expect(closestName('FromLogit', names)).toBe('fromLogits');
    expect(closestName('kk', names)).toBeUndefined(); // 1 edit is half of a 2-letter word
    expect(closestName('weights', names)).toBeUndefined();
  });

  it('checkKeys rejects unknown option keys, naming the key, the closest valid one and the valid set', () => {
    expect(() => checkKeys('dwb', {regularizer: 'none', fromLogits: true}, ['regularizer', 'fromLogits'])).not.toThrow();
    expect(() => checkKeys('dwb', undefined, ['regularizer'])).not.toThrow();
    let e: ImbalancedInputError | undefined;
    try {
      checkKeys('dwb', {regulariser: 'none'}, ['classCounts', 'regularizer']);
    } catch (err) {
      e = err as ImbalancedInputError;
    }
    expect(e).toBeInstanceOf(ImbalancedInputError);
    expect(e?.parameter).toBe('regulariser');
    expect(e?.message).toBe("regulariser: expected an option of dwb: did you mean 'regularizer'? (dwb takes classCounts, regularizer), got an unknown option");
    // An undefined value is still a typo; without a close name only the valid set is listed.
    expect(() => checkKeys('focal', {gama: undefined}, ['gamma', 'alpha'])).toThrow(/^gama: expected an option of focal: did you mean 'gamma'\?/);
    expect(() => checkKeys('focal', {weights: [1]}, ['gamma', 'alpha'])).toThrow(/^weights: expected an option of focal: \(focal takes gamma, alpha\)/);
    expect(() => checkKeys('focal', 3, ['gamma'])).toThrow(/^focal options: expected an options object, got 3/);
  });

  it('checkKeys names nested keys by their path and says when nothing is allowed', () => {
    expect(() => checkKeys('focal', {gama: 1}, ['gamma', 'alpha'], 'methods[0].options.focal'))
      .toThrow(/^methods\[0\]\.options\.focal\.gama: expected an option of focal: did you mean 'gamma'\? \(focal takes gamma, alpha\), got an unknown option$/);
    expect(() => checkKeys('focal', 'x', ['gamma'], 'methods[0].options.focal')).toThrow(/^methods\[0\]\.options\.focal: expected an options object, got "x"/);
    expect(() => checkKeys('ce', {x: 1}, [], 'options.ce')).toThrow(/^options\.ce\.x: expected no options \(ce takes none\), got an unknown option$/);
    expect(() => checkKeys('ce', {}, [])).not.toThrow();
  });
});
