/**
 * The reproductions' own machinery (scripts/repro/): statistics against
 * scipy 1.10 values (printed by Debian's /usr/bin/python3), the ReMix CV
 * splits, the wasm conv shim against the cpu backend, and one preset (a
 * configuration of the compare engine) end to end in --quick mode.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {column, incompleteBeta, pairedTTest, ranks} from '../../scripts/repro/lib';
import {parseArgs, runPreset} from '../../scripts/repro/index';
import {registerWasmConv2DBackpropFilter} from '../../scripts/repro/wasmConv';
import {f1OptimalThreshold} from '../../scripts/repro/rwwce-table1';
import {rankSums, remixSplits} from '../../scripts/repro/remix-table2';

describe('repro statistics', () => {
  it('pairedTTest equals scipy.stats.ttest_rel', () => {
    const r = pairedTTest([45.4, 31.0, 50.2, 12.0, 60.1], [16.1, 20.0, 18.5, 11.0, 25.3]);
    expect(r.t).toBeCloseTo(3.2646961523333187, 10);
    expect(r.p).toBeCloseTo(0.030943448102350835, 10);
    const s = pairedTTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1.5, 1.9, 3.6, 3.8, 5.9, 6.1, 6.2, 8.8, 9.1, 10.4]);
    expect(s.t).toBeCloseTo(-1.4081632653061225, 10);
    expect(s.p).toBeCloseTo(0.19267540178032327, 10);
    expect(pairedTTest([1, 2, 3], [0, 1, 2]).p).toBeNaN(); // every difference equal: t undefined
  });

  it('incompleteBeta equals scipy.special.betainc', () => {
    expect(incompleteBeta(0.3, 2.5, 0.5)).toBeCloseTo(0.01892712407194565, 12);
    expect(incompleteBeta(0.9, 10, 3)).toBeCloseTo(0.889130022255, 11);
    expect(incompleteBeta(0.01, 0.5, 0.5)).toBeCloseTo(0.06376856085851987, 12);
  });

  it('ranks share ties as scipy.stats.rankdata does (1 = best)', () => {
    expect(ranks([0.9, 0.8, 0.9, 0.1], true)).toEqual([1.5, 3, 1.5, 4]);
    expect(ranks([0.2, 0.1, 0.3], false)).toEqual([2, 1, 3]);
  });

  it('rankSums adds per-task ranks by kind; a column sums to n(n+1)/2 per task', () => {
    const perTask = [
      {kind: 'binary' as const, means: {a: {gm: 0.9, bbs: 0.1}, b: {gm: 0.5, bbs: 0.2}, c: {gm: 0.7, bbs: 0.05}}},
      {kind: 'binary' as const, means: {a: {gm: 0.2, bbs: 0.3}, b: {gm: 0.8, bbs: 0.3}, c: {gm: 0.6, bbs: 0.1}}},
      {kind: 'multi' as const, means: {a: {gm: 0.4, bbs: 0.2}, b: {gm: 0.4, bbs: 0.1}, c: {gm: 0.1, bbs: 0.3}}},
    ];
    const s = rankSums(perTask, ['a', 'b', 'c']);
    expect(s.a).toEqual({binGM: 1 + 3, binBBS: 2 + 2.5, multiGM: 1.5, multiBBS: 2});
    expect(s.c).toEqual({binGM: 2 + 2, binBBS: 1 + 1, multiGM: 3, multiBBS: 3});
    expect(s.a.binGM + s.b.binGM + s.c.binGM).toBe(2 * 6);
  });

  it("f1OptimalThreshold picks the first maximum of F1 on the notebook's grid", () => {
    // Positives score 0.3 and 0.6, negatives 0.1 and 0.2: any t in [0.2, 0.3) separates them; the grid's first is 0.2079...
    const t = f1OptimalThreshold([1, 1, 0, 0], [0.3, 0.6, 0.1, 0.2]);
    expect(t).toBeCloseTo(0.01 + (0.98 * 20) / 99, 12);
  });
});

describe('repro splits', () => {
  it('remixSplits: 2 folds per repeat, each testing on one stratified half and training on 70 % of the other', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 2}), {minLength: 12, maxLength: 200}), fc.integer({min: 1, max: 3}), (ys, repeats) => {
        const labels = Int32Array.from(ys);
        const splits = remixSplits(labels, 3, repeats);
        expect(splits).toHaveLength(2 * repeats);
        for (let r = 0; r < repeats; r++) {
          const [a, b] = [splits[2 * r], splits[2 * r + 1]];
          // The two folds' test halves partition the rows.
          expect([...Array.from(a.test), ...Array.from(b.test)].sort((x, y) => x - y)).toEqual(ys.map((_, i) => i));
          for (const [split, other] of [[a, b], [b, a]]) {
            const trainFold = new Set(Array.from(other.test));
            expect(Array.from(split.train).every(i => trainFold.has(i))).toBe(true);
            for (const c of [0, 1, 2]) {
              const n = ys.filter((y, i) => y === c && trainFold.has(i)).length;
              const nTest = Array.from(split.test).filter(i => ys[i] === c).length;
              const total = ys.filter(y => y === c).length;
              expect(Math.abs(nTest - total / 2)).toBeLessThanOrEqual(0.5); // stratified halves
              expect(Array.from(split.train).filter(i => ys[i] === c)).toHaveLength(n - Math.round(0.3 * n)); // 30 % held out
            }
          }
        }
      }),
      {seed: 7, numRuns: 40},
    );
  });

  it('column reads one class of row-major probabilities', () => {
    expect(column(new Float32Array([0.9, 0.1, 0.25, 0.75]), 2, 1)).toEqual([Math.fround(0.1), 0.75]);
  });
});

describe('wasm Conv2DBackpropFilter shim', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the cpu backend gradient of a stride-1 conv2d (valid and same) and refuses stride 2', async () => {
    expect(registerWasmConv2DBackpropFilter()).toBe(true);
    const grads = async (backend: string, stride: number, pad: 'valid' | 'same') => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(Array.from({length: 2 * 7 * 7 * 3}, (_, i) => Math.sin(i)), [2, 7, 7, 3]);
        const w = tf.tensor4d(Array.from({length: 3 * 3 * 3 * 4}, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
        return Array.from(tf.grad(v => tf.sum(tf.square(tf.conv2d(x, v as tf.Tensor4D, stride, pad))))(w).dataSync());
      });
    };
    for (const pad of ['valid', 'same'] as const) {
      const cpu = await grads('cpu', 1, pad);
      const wasm = await grads('wasm', 1, pad);
      cpu.forEach((v, i) => expect(Math.abs(v - wasm[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    }
    await expect(grads('wasm', 2, 'same')).rejects.toThrow(/stride 1/);
  });
});

describe('npm run repro', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('parses --quick and --name value pairs, rejects stray words', () => {
    const a = parseArgs(['crcen-table3', '--quick', '--epochs', '3', '--backend', 'cpu']);
    expect(a).toMatchObject({name: 'crcen-table3', quick: true, backend: 'cpu'});
    expect(a.options.get('epochs')).toBe('3');
    expect(() => parseArgs(['x', 'stray'])).toThrow(/unexpected argument "stray"/);
  });

  it('runs remix-table2 in a tiny --quick setting and writes its JSON record', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-test-'));
    const lines: string[] = [];
    const args = parseArgs(['remix-table2', '--quick', '--out', out, '--epochs', '1', '--methods', "Baseline,ReMix (source 'dataset')"]);
    const record = await runPreset(args, l => lines.push(l));
    const json = JSON.parse(fs.readFileSync(path.join(out, 'remix-table2.json'), 'utf8'));
    expect(json.name).toBe('remix-table2');
    expect(json.seconds).toBeGreaterThan(0);
    expect(json.results.perTask.map((t: {kind: string}) => t.kind)).toEqual(['binary', 'multi']);
    for (const t of json.results.perTask) expect(t.folds.Baseline).toHaveLength(2); // 1 x 2-fold CV
    // The numbers are the compare engine's: one comparison per task, its runs in the record.
    const compare = json.results.compare[0];
    expect(compare.config).toMatchObject({monitor: null, epochs: [1], batchSize: 64, customModel: true, metrics: ['gmean', 'balancedBrier']});
    expect(compare.runs.map((r: {method: string}) => r.method)).toEqual(['Baseline', "ReMix (source 'dataset')", 'Baseline', "ReMix (source 'dataset')"]);
    expect(json.results.perTask[0].folds.Baseline[1].gm).toBe(compare.runs[2].evaluations[0].metrics.gmean);
    expect(record.command).toBe("npm run repro -- remix-table2 --quick --epochs 1 --methods Baseline,ReMix (source 'dataset')");
    expect(record.backend).toBe('wasm');
    expect(lines.join('\n')).toMatch(/\| ReMix \(source 'dataset'\) \| all 2 \|/);
    fs.rmSync(out, {recursive: true});
  });
});
