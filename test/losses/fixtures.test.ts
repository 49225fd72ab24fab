// Independent PyTorch (float64) reference values for every loss:
// test/fixtures/losses.json, written by scripts/fixtures/make_loss_fixtures.py.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {fromConfig} from '../../src/losses';
import {analyticGrad, expectClose, take} from '../helpers';

interface FixtureCase {
  id: string;
  name: string;
  options: Record<string, unknown>;
  yTrue: number[] | number[][];
  yTrueDtype: 'int32' | 'float32';
  yPred: number[][];
  values: number[];
  grad: number[][];
}

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'losses.json'), 'utf8')) as {cases: FixtureCase[]};

// float32 against float64 on float32-exact inputs: rtol 1e-5 with atol 1e-6 for
// values and gradients alike (LDAM at s = 30 included; every case passes as is).
const RTOL = 1e-5;
const ATOL = 1e-6;

describe('losses against PyTorch float64 fixtures', () => {
  it('has the expected coverage', () => {
    const names = new Set(fixtures.cases.map(c => c.name));
    expect([...names].sort()).toEqual(['classBalanced', 'crcen', 'dwb', 'focal', 'ldam', 'rwwce', 'rwwceBinary', 'weightedCrossEntropy']);
    expect(fixtures.cases.some(c => c.options.fromLogits === false)).toBe(true);
  });

  // Largest |got - want| / (ATOL + RTOL |want|) seen (must stay <= 1), and the largest
  // relative error among entries with |want| > 1e-3; printed with FIXTURE_ERRORS=1.
  const worst = {valueRatio: 0, gradRatio: 0, valueRel: 0, gradRel: 0};
  const track = (got: number[], want: number[], kind: 'value' | 'grad') => {
    got.forEach((v, i) => {
      const err = Math.abs(v - want[i]);
      worst[`${kind}Ratio`] = Math.max(worst[`${kind}Ratio`], err / (ATOL + RTOL * Math.abs(want[i])));
      if (Math.abs(want[i]) > 1e-3) worst[`${kind}Rel`] = Math.max(worst[`${kind}Rel`], err / Math.abs(want[i]));
    });
  };
  afterAll(() => {
    // eslint-disable-next-line no-console
    if (process.env.FIXTURE_ERRORS) console.log(JSON.stringify(worst));
  });

  for (const c of fixtures.cases) {
    it(c.id, () => {
      const loss = fromConfig({name: c.name, options: c.options});
      const yTrue = tf.tensor(c.yTrue as number[], undefined, c.yTrueDtype);
      const yPred = tf.tensor2d(c.yPred);
      const values = take<number[]>(loss(yTrue, yPred));
      expectClose(values, c.values, RTOL, ATOL);
      const grad = analyticGrad(v => loss(yTrue, v), yPred);
      expectClose(grad, c.grad, RTOL, ATOL);
      track(values, c.values, 'value');
      track(grad, c.grad.flat(), 'grad');
      tf.dispose([yTrue, yPred]);
    });
  }
});
