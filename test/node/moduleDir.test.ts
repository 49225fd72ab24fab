/**
 * moduleDir (src/node/moduleDir.ts): the directory of the `node/` module folder,
 * from which the Node loaders find the package's `data/` directory. Here (ts-jest,
 * CommonJS) it is src/node itself; the ESM build's replacement is exercised by the
 * consumer test (test/packaging/consumer.test.ts), which reads satimage through
 * both `require` and Node `import`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {moduleDir} from '../../src/node/moduleDir';
import {dataDir} from '../../src/node/datasets';

const REPO = path.resolve(__dirname, '..', '..');

describe('moduleDir', () => {
  it('is the directory holding the node/ modules', () => {
    expect(moduleDir()).toBe(path.join(REPO, 'src', 'node'));
    expect(fs.existsSync(path.join(moduleDir(), 'datasets.ts'))).toBe(true);
  });

  it('does not depend on the working directory', () => {
    const cwd = process.cwd();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-imbalanced-cwd-'));
    try {
      process.chdir(elsewhere);
      expect(moduleDir()).toBe(path.join(REPO, 'src', 'node'));
    } finally {
      process.chdir(cwd);
      fs.rmSync(elsewhere, {recursive: true, force: true});
    }
  });

  it("leads dataDir to the repository's data/ directory", () => {
    expect(dataDir()).toBe(path.join(REPO, 'data'));
  });
});
