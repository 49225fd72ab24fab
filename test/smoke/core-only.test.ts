import {execFileSync} from 'child_process';
import * as path from 'path';

// The library imports only tfjs-core / -layers / -data (peer dependencies). It must
// not rely on the chained tensor methods (x.reshape(), x.toFloat()) that only the
// @tensorflow/tfjs union package registers: run it in a process without that package.
it('works with tfjs-core + tfjs-layers + tfjs-data alone (no chained ops)', () => {
  const script = path.join(__dirname, 'core-only-script.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], {encoding: 'utf8', cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe']});
  const result = JSON.parse(out.trim().split('\n').pop() as string);
  expect(result).toEqual({ok: true, remix: 2, balanced: 3, smoteRows: 8, ioLoss: 'csl'});
}, 60000);
