/**
 * The API reference builds with no warning: TypeDoc's validation (every
 * export documented, every type in a public signature exported, no broken
 * link) runs over both entries with warnings as errors. `--emit none`
 * validates without writing docs/api/ (`npm run docs` writes it).
 */
import {spawnSync} from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('npm run docs', () => {
  it('validates with 0 warnings', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], {cwd: ROOT, encoding: 'utf8'});
    const output = `${r.stdout}${r.stderr}`;
    expect(output).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  }, 120000);
});
