/**
 * Comments and docs in src/ cite the papers (title, equation), never files outside
 * the repository: no spec files or the oracle scripts and their tables (issue 9). Tests may
 * cite them; the published package may not.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap(e =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** What a reference to a file outside the repository looks like. */
const OUTSIDE = [/\.\.\/shared\b/, /\bspecs?\/[\w-]+\.md\b/, /\boracles?\b/i, /_oracles\.py\b/, /\bcsl_ref\.py\b/];

describe('src/ is self-contained', () => {
  it('no source file refers to the specs or their oracle scripts', () => {
    const files = tsFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap(file => fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
      OUTSIDE.some(re => re.test(line)) ? [`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`] : []));
    expect(hits).toEqual([]);
  });

  it('the check itself catches a reference (it can fail)', () => {
    for (const line of ['// see ../shared/specs/dwb.md', ' * oracle DWB-3', '# from dwb_oracles.py', 'values from metric_oracles.py']) {
      expect(OUTSIDE.some(re => re.test(line))).toBe(true);
    }
  });
});
