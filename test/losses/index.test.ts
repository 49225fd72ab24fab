import * as tf from '@tensorflow/tfjs';
import * as losses from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {take} from '../helpers';

type Example = {loss: losses.LossFunction; binary?: boolean};

// At least one instance of every loss registered in losses.fromConfig, with non-default options.
const EXAMPLES: Record<string, () => Example[]> = {
  dwb: () => [
    {loss: losses.dwb({classCounts: [100, 50, 10]})},
    {loss: losses.dwb({classWeights: [1, 2, 4]}, {regularizer: 'allClasses', detachWeight: true, fromLogits: true, reduction: 'mean'})},
  ],
  weightedCrossEntropy: () => [{loss: losses.weightedCrossEntropy({classWeights: [0.5, 1, 3], fromLogits: true})}],
  crcen: () => [
    {loss: losses.crcen({classCounts: [100, 50, 10], costMultiplier: 1.5})},
    {loss: losses.crcen({classCounts: [90, 10], minorityClass: 0, fromLogits: true}), binary: true},
    {loss: losses.crcen({lambda: 0.8, reduction: 'sum'}), binary: true},
  ],
  rwwceBinary: () => [{loss: losses.rwwceBinary({costFN: 2000, costFP: 100, fromLogits: true}), binary: true}],
  rwwce: () => [{loss: losses.rwwce({costFN: [1, 2, 1], costFP: [[0, 0, 0], [0, 0, 5], [0, 3, 0]], reduction: 'mean'})}],
  focal: () => [
    {loss: losses.focal()},
    {loss: losses.focal({gamma: 0.5, alpha: [0.2, 0.5, 1], fromLogits: true})},
    {loss: losses.focal({gamma: 1, alpha: 0.25}), binary: true},
  ],
  classBalanced: () => [
    {loss: losses.classBalanced({classCounts: [100, 50, 10]})},
    {loss: losses.classBalanced({classCounts: [100, 50, 10], beta: 0.99, base: 'sigmoid', fromLogits: true})},
    {loss: losses.classBalanced({classCounts: [100, 50, 10], beta: 0.9, base: 'focal', gamma: 1, fromLogits: true})},
  ],
  ldam: () => [
    {loss: losses.ldam({classCounts: [100, 50, 10]})},
    {loss: losses.ldam({classCounts: [100, 50, 10], maxMargin: 0.3, scale: 10, classWeights: [1, 2, 3], fromLogits: true})},
  ],
  // Fresh CSL losses: the first call of the original and of the rebuilt one see the same (empty) state.
  csl: () => [
    {loss: losses.csl({numClasses: 3, k: 1, targetClasses: [2], fromLogits: true})},
    {loss: losses.csl({numClasses: 3, mode: 'epoch', base: losses.focal({gamma: 1})})},
  ],
};

/** The names fromConfig accepts, read from its error message for an unknown name. */
function registeredNames(): string[] {
  try {
    losses.fromConfig({name: '__nope__', options: {}});
  } catch (e) {
    expect(e).toBeInstanceOf(ImbalancedInputError);
    return (e as ImbalancedInputError).expected.replace(/^one of /, '').split(', ');
  }
  throw new Error('fromConfig accepted an unknown name');
}

describe('losses.fromConfig', () => {
  it('every registered loss has a round-trip example here', () => {
    const missing = registeredNames().filter(n => !(n in EXAMPLES));
    if (missing.length) throw new Error(`add an example for ${missing.join(', ')} to test/losses/index.test.ts`);
    expect(Object.keys(EXAMPLES).every(n => registeredNames().includes(n))).toBe(true);
  });

  for (const [name, make] of Object.entries(EXAMPLES)) {
    it(`${name}: the config (also through JSON) rebuilds a loss with identical values`, () => {
      for (const {loss, binary} of make()) {
        expect(loss.name).toBe(name);
        expect(loss.config.name).toBe(name);
        const json = JSON.parse(JSON.stringify(loss.config)) as losses.LossConfig;
        expect(json).toEqual(loss.config);
        const rebuilt = losses.fromConfig(json);
        expect(rebuilt.name).toBe(name);
        expect(rebuilt.config).toEqual(loss.config);
        const yTrue = binary ? tf.tensor1d([1, 0, 0, 1]) : tf.tensor1d([0, 1, 2, 2], 'int32');
        const yPred = binary
          ? tf.tensor2d([[0.7], [0.2], [0.55], [0.1]])
          : tf.tensor2d([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]]);
        const want = take<number | number[]>(loss(yTrue, yPred));
        expect(take<number | number[]>(rebuilt(yTrue, yPred))).toEqual(want);
        tf.dispose([yTrue, yPred]);
      }
    });
  }

  it('dispose() frees the kept constants; the loss still works afterwards (csl: frees its state)', () => {
    for (const [name, make] of Object.entries(EXAMPLES)) {
      for (const {loss, binary} of make()) {
        const yTrue = binary ? tf.tensor1d([1, 0, 0, 1]) : tf.tensor1d([0, 1, 2, 2], 'int32');
        const yPred = binary
          ? tf.tensor2d([[0.7], [0.2], [0.55], [0.1]])
          : tf.tensor2d([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]]);
        const first = take<number | number[]>(loss(yTrue, yPred));
        const before = tf.memory().numTensors;
        loss.dispose();
        const freed = before - tf.memory().numTensors;
        if (name === 'csl') {
          expect(freed).toBe(7);
          expect(() => loss(yTrue, yPred)).toThrow(/state/);
        } else {
          // Every loss keeps at least one constant row, except focal without alpha, which keeps none.
          const keepsNone = name === 'focal' && (loss.config.options as {alpha?: unknown}).alpha === undefined;
          if (keepsNone) expect(freed).toBe(0);
          else expect(freed).toBeGreaterThanOrEqual(1);
          expect(take<number | number[]>(loss(yTrue, yPred))).toEqual(first);
          loss.dispose();
          expect(tf.memory().numTensors).toBe(before - freed);
        }
        tf.dispose([yTrue, yPred]);
      }
    }
  });

  it('rejects an unknown name, naming config.name', () => {
    expect(() => losses.fromConfig({name: 'nope', options: {}})).toThrow(/config\.name: expected one of .*crcen.*ldam/);
  });
});
