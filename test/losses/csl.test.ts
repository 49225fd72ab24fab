import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {CslOptions, csl as makeCsl, cslTerm, isCslLoss} from '../../src/losses/csl';
import {CslStatisticsPlace, cslStatistics} from '../../src/losses/cslState';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/csl.md §7 (values from specs/csl_ref.py, the plain-Python REF).
const Z1 = [[2, 1, 0], [0, 3, 1], [1, 0, 0.5], [0.5, 2, 0]];
const Y1 = [0, 1, 2, 1];
const Z2 = [[0, 0, 2], [1, 2, 0], [0, 1, 3], [2, 0, 1]];
const Y2 = [2, 1, 2, 0];

/** Per-sample CE from logits, in JS (float64). */
function ce(z: number[][], y: number[]): number[] {
  return z.map((row, n) => {
    const m = Math.max(...row);
    return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[y[n]];
  });
}

/** REF's explicit-loop CSL term and its gradient (csl_ref.py csl_term / grad_csl). */
function refTerm(z: number[][], a: number[]): number {
  const C = a.length;
  let total = 0;
  for (let i = 0; i < C; i++) {
    let D = 1e-6;
    for (const row of z) for (let k = 0; k < C; k++) D += (row[k] - (k === i ? 1 : 0)) ** 2;
    total += a[i] / D;
  }
  return total / C;
}
function refGrad(z: number[][], a: number[]): number[][] {
  const C = a.length;
  const D = a.map((_, i) => z.reduce((s, row) => s + row.reduce((t, v, k) => t + (v - (k === i ? 1 : 0)) ** 2, 0), 0) + 1e-6);
  return z.map(row => row.map((v, k) => -(2 / C) * a.reduce((s, ai, i) => s + (ai * (v - (k === i ? 1 : 0))) / D[i] ** 2, 0)));
}

/** Calls the loss once and returns the per-sample values. */
function call(loss: ReturnType<typeof makeCsl>, z: number[][], y: number[]): number[] {
  return take<number[]>(loss(tf.tensor1d(y, 'int32'), tf.tensor2d(z)));
}

/**
 * The whole suite, with batch mode computing each call's statistics on the host
 * (JS, float64: the default on cpu / wasm) or in the graph (the default on GPU backends).
 */
function suite(place: CslStatisticsPlace): void {
  const csl = (options: CslOptions) => {
    const loss = makeCsl(options);
    loss.state.statisticsOn = place;
    return loss;
  };

  describe('csl batch mode = REF (oracle 7.1)', () => {
    it('two consecutive calls, T = all: S, N, H, γ, r, a, L_csl, CE, total, storage', () => {
      const loss = csl({numClasses: 3, fromLogits: true});
      const out1 = call(loss, Z1, Y1);
      const s1 = loss.state.snapshot();
      expect(s1.N).toEqual([2, 2, 0]);
      expectClose(s1.S, [5, 6.822101, 1.25]);
      expectClose(s1.H, [0.693145, 0.693145, 0]);
      expectClose(s1.gamma, [1.057371, 1.442699, 1.25e6]);
      expect(s1.r).toEqual([0, 0, 0]);
      expectClose(s1.a, [4.472136, 8.325518, 0]);
      // Per-sample value = CE_n + L_csl: the batch mean is CE + L_csl.
      const ce1 = ce(Z1, Y1);
      expectClose(out1.map((v, n) => v - ce1[n]), [0.307197, 0.307197, 0.307197, 0.307197]);
      expectClose(ce1.reduce((s, v) => s + v, 0) / 4, 0.516019);
      expectClose(out1.reduce((s, v) => s + v, 0) / 4, 0.823217);

      const total2 = take<number>(csl({numClasses: 3, fromLogits: true, reduction: 'mean'})(tf.tensor1d(Y1, 'int32'), tf.tensor2d(Z1)));
      expectClose(total2, 0.823217);

      const out2 = call(loss, Z2, Y2);
      const s2 = loss.state.snapshot();
      expect(s2.N).toEqual([1, 1, 2]);
      expectClose(s2.S, [5, 6.183343, 4.382479]);
      expectClose(s2.H, [0.346573, 0.346573, 0.693145]);
      expectClose(s2.gamma, [2.333201, 2.885397, 1.022521]);
      expect(s2.r).toEqual([2, 2, -2]);
      // Full-precision REF values (csl_ref.py): a_2 = (2.045 − 2)² is a float32 cancellation, so the rounded oracle is too coarse.
      expectClose(s2.a, [18.776632934, 23.867099882, 0.002028757976]);
      const ce2 = ce(Z2, Y2);
      expectClose(out2.map((v, n) => v - ce2[n]), new Array(4).fill(0.646159));
      expectClose(ce2.reduce((s, v) => s + v, 0) / 4, 0.306151);
      expectClose(out2.reduce((s, v) => s + v, 0) / 4, 0.95231);
      expectClose(s2.normSum, [4.472136, 7.459898, 6.280312]);
      expect(s2.normCount).toEqual([2, 3, 3]);
      expect(s2.prevCounts).toEqual([1, 1, 2]);
      expect(s2.updates).toBe(2);
    });

    it('two consecutive calls with T = [0]', () => {
      const loss = csl({numClasses: 3, fromLogits: true, targetClasses: [0]});
      const ce2 = ce(Z2, Y2);
      call(loss, Z1, Y1);
      const out2 = call(loss, Z2, Y2);
      const s = loss.state.snapshot();
      expect(s.r).toEqual([2, 0, 0]);
      expectClose(s.a, [18.776633, 8.325514, 4.182196]);
      expectClose(out2[0] - ce2[0], 0.497768);
    });

    it('the plain-JS statistics (used by the epoch mode) give the same oracle', () => {
      const norms = (z: number[][]) => z.map(r => Math.hypot(...r));
      const n1 = norms(Z1);
      const sum1 = [0, 0, 0];
      const cnt1 = [0, 0, 0];
      Y1.forEach((c, n) => { sum1[c] += n1[n]; cnt1[c] += 1; });
      const st1 = cslStatistics({normSum: sum1, normCount: cnt1, counts: [2, 2, 0], samples: 4, prevCounts: null, k: 2, targetClasses: [0, 1, 2]});
      expectClose(st1.gamma, [1.057371, 1.442699, 1.25e6]);
      expectClose(st1.a, [4.472136, 8.325518, 0]);
      const st2 = cslStatistics({
        normSum: [4.472136, 7.459898, 6.280312], normCount: [2, 3, 3], counts: [1, 1, 2], samples: 4, prevCounts: [2, 2, 0], k: 2, targetClasses: [0, 1, 2],
      });
      expectClose(st2.S, [5, 6.183343, 4.382479], 1e-5);
      expect(st2.r).toEqual([2, 2, -2]);
      expectClose(st2.a, [18.776633, 23.8671, 0.002029], 1e-4);
    });

    it('sparse [B, 1] and one-hot labels give the same state', () => {
      const a = csl({numClasses: 3, fromLogits: true});
      const b = csl({numClasses: 3, fromLogits: true});
      a(tf.tensor2d(Y1, [4, 1]), tf.tensor2d(Z1));
      b(tf.oneHot(tf.tensor1d(Y1, 'int32'), 3), tf.tensor2d(Z1));
      expect(a.state.snapshot()).toEqual(b.state.snapshot());
    });
  });

  describe('csl with frozen a (oracle 7.2, 7.6.7)', () => {
    const z = tf.tensor2d([[0.5, -0.2, 0.1], [0, 0.3, -0.4]]);
    const a = tf.tensor1d([4, 1, 0]);
    const expectedGrad = [[0.494618, 0.366853, -0.123067], [1.109953, -0.248483, 0.492269]];

    it('value, gradient and finite differences of L_csl', () => {
      expectClose(take(cslTerm(z, a)), 1.002058);
      expectClose(analyticGrad(v => cslTerm(v as tf.Tensor2D, a), z), expectedGrad.flat());
      expectClose(numericGrad(v => cslTerm(v as tf.Tensor2D, a), z), expectedGrad.flat(), 2e-3, 2e-4);
    });

    it('a single zero row: the gradient on logit j is (2/C)·a_j/D_j² (7.6.7)', () => {
      expectClose(analyticGrad(v => cslTerm(v as tf.Tensor2D, a), tf.zeros([1, 3])), [2.666661, 0.666665, 0]);
    });

    it('through the loss: phase off uses the stored a; the per-sample mean has L_csl’s gradient', () => {
      const zeroBase = (_y: tf.Tensor, p: tf.Tensor) => tf.zeros([p.shape[0]]);
      const loss = csl({numClasses: 3, fromLogits: true, base: zeroBase, reduction: 'mean'});
      loss.state.setCoefficients([4, 1, 0]);
      loss.state.phase = 'off';
      const y = tf.tensor1d([0, 2], 'int32');
      expectClose(take(loss(y, z)), 1.002058);
      expectClose(analyticGrad(v => loss(y, v), z), expectedGrad.flat());
      expect(loss.state.updates).toBe(0);
    });
  });

  describe('csl identities and hazards', () => {
    it('7.3: γ_0 N_0 = (S_0 / S_max)·B / L after call 1', () => {
      const loss = csl({numClasses: 3, fromLogits: true});
      call(loss, Z1, Y1);
      const s = loss.state.snapshot();
      const L = -Math.log(1 / 4 + 1e-6);
      expectClose(L, 1.38629, 1e-5);
      expectClose(s.gamma[0] * s.N[0], 2.114742);
      expectClose((s.S[0] / Math.max(...s.S)) * 4 / L, 2.114743);
    });

    it('7.4: B = 1 reproduces REF’s hazard with minBatchForStats 1', () => {
      const loss = csl({numClasses: 3, fromLogits: true, minBatchForStats: 1});
      const out = call(loss, [[2, 1, 0]], [0]);
      const s = loss.state.snapshot();
      expectClose(s.H[0], -9.999995e-7);
      expectClose(s.gamma[0], -1250000.47);
      expectClose(s.a[0], 1.5625e12);
      expectClose(out[0] - ce([[2, 1, 0]], [0])[0], 2.604167e11);
    });

    it('7.4 guarded (default): B = 1 gives the finite base loss and leaves the state alone', () => {
      const loss = csl({numClasses: 3, fromLogits: true});
      const out = call(loss, [[2, 1, 0]], [0]);
      expectClose(out, ce([[2, 1, 0]], [0]));
      expect(loss.state.updates).toBe(0);
      expect(loss.state.snapshot().normCount).toEqual([0, 0, 0]);
      // The next full batch is REF's first call.
      call(loss, Z1, Y1);
      expectClose(loss.state.snapshot().a, [4.472136, 8.325518, 0]);
    });

    it('N_i = 0 gives a_i = r_i² even when γ_i is huge (no 0·∞)', () => {
      const loss = csl({numClasses: 3, fromLogits: true});
      call(loss, Z1, Y1); // N = [2, 2, 0]
      call(loss, [[3, 0, 0], [2, 1, 0], [0, 4, 0], [1, 0, 0]], [0, 0, 1, 2]); // N = [3, 1, 0]
      const s = loss.state.snapshot();
      expect(s.N).toEqual([3, 1, 0]);
      expect(s.gamma[2]).toBeGreaterThan(1e5);
      expect(s.r).toEqual([-2, 2, 0]);
      expect(s.a[2]).toBe(0);
      expect(s.a.every(Number.isFinite)).toBe(true);
    });

    it('a class never seen and all-zero outputs give γ = 0 (csl.md §6.3)', () => {
      const loss = csl({numClasses: 3, fromLogits: true});
      call(loss, [[0, 0, 0], [0, 0, 0]], [0, 1]);
      const s = loss.state.snapshot();
      expect(s.S).toEqual([0, 0, 0]);
      expect(s.gamma).toEqual([0, 0, 0]);
      expect(s.a).toEqual([0, 0, 0]);
    });
  });

  describe('csl properties (7.6)', () => {
    it('7.6.1: no gradient through S, H, γ, N or r: grad = CE grad + REF grad with a frozen', () => {
      const loss = csl({numClasses: 3, fromLogits: true, reduction: 'mean'});
      call(loss, Z1, Y1);
      const y = tf.tensor1d(Y2, 'int32');
      const g = analyticGrad(v => loss(y, v), tf.tensor2d(Z2)); // the second REF call, inside tf.grad
      const a = loss.state.snapshot().a;
      expectClose(a, [18.776632934, 23.867099882, 0.002028757976]);
      const p = take<number[][]>(tf.softmax(tf.tensor2d(Z2)));
      const gCsl = refGrad(Z2, a);
      const expected = p.map((row, n) => row.map((v, k) => (v - (k === Y2[n] ? 1 : 0)) / 4 + gCsl[n][k]));
      expectClose(g, expected.flat(), 1e-4, 1e-6);
    });

    it('7.6.2: with H fixed γ rises with S; with S fixed γ ∝ 1/H', () => {
      const base = {normCount: [1, 1, 1], prevCounts: null, k: 2, targetClasses: [0, 1, 2], samples: 8};
      const g1 = cslStatistics({...base, normSum: [4, 2, 1], counts: [2, 2, 2]}).gamma;
      expect(g1[0]).toBeGreaterThan(g1[1]);
      expect(g1[1]).toBeGreaterThan(g1[2]);
      const g2 = cslStatistics({...base, normSum: [4, 2, 2], counts: [2, 2, 4]}).gamma;
      // Class 2 has twice class 1's H and the same S: γ_2 ≈ γ_1 / 2 (the 1e-6 in the denominator aside).
      expectClose(g2[2], g2[1] / 2, 1e-5);
    });

    it('7.6.3: r is 0 at the first call, for classes outside T, and for equal counts', () => {
      const loss = csl({numClasses: 3, fromLogits: true, targetClasses: [1, 2]});
      call(loss, Z1, Y1);
      expect(loss.state.snapshot().r).toEqual([0, 0, 0]);
      call(loss, Z1, Y1); // same counts
      expect(loss.state.snapshot().r).toEqual([0, 0, 0]);
      call(loss, Z2, Y2); // N: [2,2,0] -> [1,1,2]; class 0 is outside T
      expect(loss.state.snapshot().r).toEqual([0, 2, -2]);
      const k0 = csl({numClasses: 3, fromLogits: true, k: 0});
      call(k0, Z1, Y1);
      call(k0, Z2, Y2);
      expect(k0.state.snapshot().r.map(Math.abs)).toEqual([0, 0, 0]);
    });

    it('7.6.4: S does not depend on batch split or order; running sums equal full storage', () => {
      const z = [...Z1, ...Z2, [0.3, -1, 2], [1.5, 0.2, -0.7]];
      const y = [...Y1, ...Y2, 1, 0];
      const whole = csl({numClasses: 3, fromLogits: true});
      call(whole, z, y);
      const split = csl({numClasses: 3, fromLogits: true});
      const order = [7, 2, 9, 0, 4, 5, 1, 3, 8, 6];
      for (const part of [order.slice(0, 3), order.slice(3, 7), order.slice(7)]) call(split, part.map(i => z[i]), part.map(i => y[i]));
      const sw = whole.state.snapshot();
      const ss = split.state.snapshot();
      expectClose(ss.S, sw.S, 1e-6);
      expectClose(ss.normCount, sw.normCount);
      // Full storage: every output kept, S_i = (mean ||f||)².
      const S = [0, 1, 2].map(c => {
        const norms = z.filter((_, n) => y[n] === c).map(r => Math.hypot(...r));
        return (norms.reduce((s, v) => s + v, 0) / norms.length) ** 2;
      });
      expectClose(sw.S, S);
    });

    it('7.6.5: L_csl >= 0, and 0 iff all a = 0', () => {
      let seed = 3;
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2;
      for (let t = 0; t < 20; t++) {
        const z = tf.tensor2d(Array.from({length: 12}, rand), [4, 3]);
        const a = tf.tensor1d([Math.abs(rand()), 0, Math.abs(rand()) * 10]);
        expect(take<number>(cslTerm(z, a))).toBeGreaterThan(0);
        expect(take<number>(cslTerm(z, tf.zeros([3])))).toBe(0);
      }
    });

    it('7.6.6: a small descent step with frozen a lowers L_csl; D rises', () => {
      const zq = [[3, 0.5, 0.2], [2.5, 0.3, 0.1], [0.2, 0.4, 0.3], [0.1, 0.2, 0.5]];
      const a = tf.tensor1d([8.326, 0.012, 0.012]);
      const z = tf.tensor2d(zq);
      const g = analyticGrad(v => cslTerm(v as tf.Tensor2D, a), z);
      const z2 = zq.map((row, n) => row.map((v, k) => v - 0.05 * g[n * 3 + k]));
      expectClose(take(cslTerm(z, a)), 0.322043);
      expectClose(take(cslTerm(tf.tensor2d(z2), a)), 0.319656);
      const D = (m: number[][]) => [0, 1, 2].map(i => m.reduce((s, row) => s + row.reduce((t, v, k) => t + (v - (k === i ? 1 : 0)) ** 2, 0), 0));
      expectClose(D(zq), [8.63, 17.43, 18.03]);
      expectClose(D(z2), [8.694485, 17.497499, 18.099736], 1e-5);
    });

    it('7.6.8: the D identity equals the explicit loop', () => {
      let seed = 11;
      const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 6 - 3;
      for (let t = 0; t < 10; t++) {
        const C = 2 + (t % 4);
        const B = 1 + t;
        const z = Array.from({length: B}, () => Array.from({length: C}, rand));
        const a = Array.from({length: C}, () => Math.abs(rand()) * 5);
        expectClose(take(cslTerm(tf.tensor2d(z), tf.tensor1d(a))), refTerm(z, a), 1e-5);
        expectClose(analyticGrad(v => cslTerm(v as tf.Tensor2D, tf.tensor1d(a)), tf.tensor2d(z)), refGrad(z, a).flat(), 1e-4, 1e-6);
      }
      // Every row equal to e_0: D_0 = 1e-6 exactly, never below.
      const onehot = [[1, 0, 0], [1, 0, 0]];
      expectClose(take(cslTerm(tf.tensor2d(onehot), tf.tensor1d([1, 0, 0]))), refTerm(onehot, [1, 0, 0]), 1e-4);
    });
  });

  describe('csl stability', () => {
    it('finite loss and gradient at logits ±1e4 (both modes, two calls)', () => {
      for (const mode of ['batch', 'epoch'] as const) {
        const loss = csl({numClasses: 3, fromLogits: true, mode, reduction: 'mean'});
        const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4], [1e4, 0, -1e4]]);
        const y = tf.tensor1d([1, 0, 2, 0], 'int32');
        for (let i = 0; i < 2; i++) {
          expect(Number.isFinite(take<number>(loss(y, z)))).toBe(true);
          expect(analyticGrad(v => loss(y, v), z).every(Number.isFinite)).toBe(true);
        }
        expect(loss.state.snapshot().a.every(Number.isFinite)).toBe(true);
      }
    });

    it('finite loss and gradient at probabilities 0 and 1, and with a NaN output in the statistics', () => {
      const loss = csl({numClasses: 3, reduction: 'mean'});
      const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
      const y = tf.tensor1d([1, 0, 2, 0], 'int32');
      for (let i = 0; i < 2; i++) {
        expect(Number.isFinite(take<number>(loss(y, p)))).toBe(true);
        expect(analyticGrad(v => loss(y, v), p).every(Number.isFinite)).toBe(true);
      }
      // Every row the one-hot of class 0: D_0 = 1e-6, large but finite.
      const same = tf.tensor2d([[1, 0, 0], [1, 0, 0]]);
      expect(Number.isFinite(take<number>(loss(tf.tensor1d([0, 0], 'int32'), same)))).toBe(true);
      // Statistics use nan_to_num (REF): a NaN output does not poison the stored state.
      const lossZ = csl({numClasses: 3, fromLogits: true});
      call(lossZ, [[NaN, 1, 0], [0, 2, 1]], [0, 1]);
      expect(lossZ.state.snapshot().a.every(Number.isFinite)).toBe(true);
    });

    it('a one-column sigmoid output is read as two classes', () => {
      const logits = csl({numClasses: 2, fromLogits: true});
      const z = [[2], [-1], [0.5], [-3]];
      const y = [1, 0, 0, 0];
      const out = take<number[]>(logits(tf.tensor2d(y, [4, 1]), tf.tensor2d(z)));
      const twoCol = csl({numClasses: 2, fromLogits: true});
      const out2 = call(twoCol, z.map(([v]) => [0, v]), y);
      expectClose(out, out2, 1e-5);
      expect(logits.state.snapshot()).toEqual(twoCol.state.snapshot());
      const probs = csl({numClasses: 2});
      expect(take<number[]>(probs(tf.tensor2d(y, [4, 1]), tf.tensor2d([[0.9], [0.2], [1], [0]]))).every(Number.isFinite)).toBe(true);
    });
  });

  describe('csl base, config and errors', () => {
    it('a custom per-sample base gets L_csl added to every sample', () => {
      const baseFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mul(2, tf.losses.softmaxCrossEntropy(tf.oneHot(yTrue.toInt(), 3), yPred, undefined, 0, tf.Reduction.NONE));
      const loss = csl({numClasses: 3, fromLogits: true, base: baseFn});
      const out = call(loss, Z1, Y1);
      const ce1 = ce(Z1, Y1);
      expectClose(out.map((v, n) => v - 2 * ce1[n]), new Array(4).fill(0.307197));
      const scalarBase = () => tf.scalar(1);
      expect(() => call(csl({numClasses: 3, base: scalarBase}), Z1, Y1)).toThrow(/base: expected a per-sample loss/);
    });

    it('has name csl, is recognised, and its config rebuilds an equivalent loss', () => {
      const loss = csl({numClasses: 4, k: 1, targetClasses: [3, 1, 1], mode: 'epoch', fromLogits: true, rho: 1});
      expect(loss.name).toBe('csl');
      expect(isCslLoss(loss)).toBe(true);
      expect(isCslLoss(() => tf.scalar(0))).toBe(false);
      expect(loss.config.options.targetClasses).toEqual([1, 3]);
      const again = csl(loss.config.options as never);
      expect(again.config).toEqual(loss.config);
      expect(JSON.parse(JSON.stringify(loss.config))).toEqual(loss.config);
      loss.state.configure({mode: 'batch'});
      expect(loss.config.options.mode).toBe('batch');
    });

    it('rejects bad options, naming the parameter', () => {
      expect(() => csl({numClasses: 1})).toThrow(/numClasses: expected an integer >= 2/);
      expect(() => csl({numClasses: 2.5})).toThrow(ImbalancedInputError);
      expect(() => csl({} as never)).toThrow(/numClasses/);
      expect(() => csl({numClasses: 3, k: -1})).toThrow(/^k: expected/);
      expect(() => csl({numClasses: 3, targetClasses: [0, 3]})).toThrow(/targetClasses\[1\]: expected an integer >= 0 and <= 2, got 3/);
      expect(() => csl({numClasses: 3, targetClasses: [0.5]})).toThrow(/targetClasses\[0\]/);
      expect(() => csl({numClasses: 3, targetClasses: 1 as never})).toThrow(/targetClasses/);
      expect(() => csl({numClasses: 3, mode: 'epochs' as never})).toThrow(/mode: expected one of 'batch', 'epoch'/);
      expect(() => csl({numClasses: 3, base: 'focal' as never})).toThrow(/base/);
      expect(() => csl({numClasses: 3, updateOnValidation: 1 as never})).toThrow(/updateOnValidation/);
      expect(() => csl({numClasses: 3, minBatchForStats: 0})).toThrow(/minBatchForStats/);
      expect(() => csl({numClasses: 3, rho: 0})).toThrow(/rho/);
      expect(() => csl({numClasses: 3, reduction: 'avg' as never})).toThrow(/reduction/);
      expect(() => csl({numClasses: 3}).state.setCoefficients([1, -1, 0])).toThrow(/^a: expected/);
    });

    it('rejects outputs with the wrong number of classes', () => {
      const loss = csl({numClasses: 3});
      expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes/);
    });
  });

  describe('csl epoch mode without a callback', () => {
    it('a stays 0 (loss = base), training calls accumulate; endEpoch() computes §1.6', () => {
      const loss = csl({numClasses: 3, fromLogits: true, mode: 'epoch'});
      const out = call(loss, Z1, Y1);
      expectClose(out, ce(Z1, Y1));
      call(loss, Z2, Y2);
      expect(loss.state.trainSamples).toBe(8);
      const stats = loss.state.endEpoch();
      expect(stats).not.toBeNull();
      // N = training counts over V = 8 samples, ρ = B/V = 4/8, storage of both batches.
      const expected = cslStatistics({normSum: [4.472136, 7.459898, 6.280312], normCount: [2, 3, 3], counts: [3, 3, 2], samples: 8, prevCounts: null, k: 2, targetClasses: [0, 1, 2], rho: 0.5});
      expectClose(stats!.a, expected.a, 1e-5);
      expectClose(loss.state.snapshot().a, expected.a, 1e-5);
      expect(loss.state.trainSamples).toBe(0);
      // Now a ≠ 0 is used: value = CE + L_csl(a).
      const out2 = call(loss, Z1, Y1);
      const ce1 = ce(Z1, Y1);
      expectClose(out2.map((v, n) => v - ce1[n]), new Array(4).fill(refTerm(Z1, expected.a)), 1e-5);
    });
  });

  describe('csl in model.fit', () => {
    it('trains and does not leak tensors across epochs (batch and epoch mode)', async () => {
      const {xs, labels} = toyData(96, 4, [0.7, 0.2, 0.1]);
      const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      for (const mode of ['batch', 'epoch'] as const) {
        const start = tf.memory().numTensors;
        const loss = csl({numClasses: 3, mode, fromLogits: true});
        const model = smallModel(4, 3, 'linear');
        model.compile({optimizer: 'adam', loss});
        const counts = await tensorCountsPerEpoch(model, xs, ys, {validationSplit: 0.25}, 3);
        expectNoGrowth(counts);
        expect(loss.state.snapshot().a.every(Number.isFinite)).toBe(true);
        model.dispose();
        loss.state.dispose();
        // Everything the loss made (state variables, kept rows) is gone with it.
        expect(tf.memory().numTensors).toBe(start);
        expect(() => loss(tf.tensor1d([0], 'int32'), tf.tensor2d([[1, 0, 0]]))).toThrow(/state: expected a CSL loss whose state is not disposed/);
      }
    });
  });
}

describe.each(['host', 'graph'] as const)('statistics on the %s', place => suite(place));

describe('csl batch mode: host and graph statistics agree', () => {
  it('on any sequence of batches (sizes 1-6, soft or hard labels, logits in ±6, k, T): same values and state', () => {
    const C = 3;
    const batch = fc.integer({min: 1, max: 6}).chain(B => fc.record({
      z: fc.array(fc.array(fc.float({min: -6, max: 6, noNaN: true}), {minLength: C, maxLength: C}), {minLength: B, maxLength: B}),
      y: fc.array(fc.integer({min: 0, max: C - 1}), {minLength: B, maxLength: B}),
      soft: fc.boolean(),
    }));
    fc.assert(fc.property(fc.array(batch, {minLength: 1, maxLength: 5}), fc.integer({min: 0, max: 3}), fc.subarray([0, 1, 2], {minLength: 1}), (calls, k, targetClasses) => {
      const [host, graph] = (['host', 'graph'] as const).map(place => {
        const loss = makeCsl({numClasses: C, fromLogits: true, k, targetClasses});
        loss.state.statisticsOn = place;
        return loss;
      });
      for (const {z, y, soft} of calls) {
        const target = soft ? tf.tensor2d(y.map(c => [0, 1, 2].map(i => (i === c ? 0.7 : 0.15)))) : tf.tensor1d(y, 'int32');
        const [vh, vg] = [host, graph].map(loss => take<number[]>(loss(target, tf.tensor2d(z))));
        expectClose(vh, vg, 1e-4, 1e-4);
        // The gradient too (the host path writes L_csl's gradient out from the values it read).
        const [gh, gg] = [host, graph].map(loss => take<number[][]>(tf.grad((x: tf.Tensor) => tf.sum(loss(target, x)))(tf.tensor2d(z))));
        expectClose(gh.flat(), gg.flat(), 1e-3, 1e-3);
        target.dispose();
      }
      const [sh, sg] = [host.state.snapshot(), graph.state.snapshot()];
      for (const key of ['S', 'N', 'H', 'r', 'a', 'normSum', 'normCount'] as const) expectClose(sh[key], sg[key], 1e-4, 1e-4);
      expect(sh.updates).toBe(sg.updates);
      host.dispose();
      graph.dispose();
    }), {seed: 42, numRuns: 40});
  });
});

describe('csl batch mode on the host: the variables get the host copy before anything reads them', () => {
  it('reading the state after every call or only at the end gives identical values and losses', () => {
    const calls = [[Z1, Y1], [Z2, Y2], [Z1, Y2], [Z2, Y1]] as const;
    const [watched, left] = [makeCsl({numClasses: 3, fromLogits: true}), makeCsl({numClasses: 3, fromLogits: true})];
    [watched, left].forEach(l => { l.state.statisticsOn = 'host'; });
    const outW: number[][] = [];
    const outL: number[][] = [];
    for (const [z, y] of calls) {
      outW.push(call(watched, z as number[][], y as number[]));
      watched.state.snapshot(); // reads (and so writes back) the variables
      expect(Array.from(watched.state.a.dataSync())).toEqual(watched.state.snapshot().a);
      outL.push(call(left, z as number[][], y as number[]));
    }
    expect(outL).toEqual(outW);
    expect(left.state.snapshot()).toEqual(watched.state.snapshot());
    // A call with the phase off reads the stored a (a variable): it sees the last update.
    left.state.phase = 'off';
    const a = left.state.snapshot().a;
    const ce1 = ce(Z1, Y1);
    expectClose(call(left, Z1, Y1).map((v, n) => v - ce1[n]), new Array(4).fill(refTerm(Z1, a)), 1e-5);
    watched.dispose();
    left.dispose();
  });
});
