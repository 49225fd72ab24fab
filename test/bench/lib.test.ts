import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {compareResults, note, printTable, writeResults} from '../../bench/lib';

describe('bench results: JSON + Markdown files and --compare', () => {
  it('writes the printed tables and notes, and compares two runs row by row (b / a of every numeric column)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      note('peer: imbalanced-learn 0.10.0');
      printTable('SMOTE 100000 x 32 (ms, median of 7)', ['backend', 'kernel', 'ms', 'ratio'], [['cpu', 'wasm', 80, 0.8], ['wasm', 'wasm', 90, 0.9]]);
      const a = writeResults('a', dir);
      const saved = JSON.parse(fs.readFileSync(a, 'utf8'));
      expect(saved.notes).toEqual(['peer: imbalanced-learn 0.10.0']);
      expect(saved.tables[0]).toMatchObject({id: 'smote x ms median of', header: ['backend', 'kernel', 'ms', 'ratio']});
      expect(fs.readFileSync(path.join(dir, 'a.md'), 'utf8')).toContain('| cpu | wasm | 80.0 | 0.800 |');

      // A second run: its title holds other numbers (same id), one row changed, one row new.
      const b = path.join(dir, 'b.json');
      fs.writeFileSync(b, JSON.stringify({...saved, name: 'b', tables: [{...saved.tables[0], title: 'SMOTE 100000 x 32 (ms, median of 3)', rows: [['wasm', 'wasm', 45, 0.45], ['cpu', 'js', 400, 4]]}]}));
      const ratios = compareResults(a, b);
      expect(ratios).toHaveLength(1);
      expect(ratios[0].header).toEqual(['row', 'ms', 'ratio']);
      expect(ratios[0].rows).toEqual([['wasm / wasm', 0.5, 0.5]]);
    } finally {
      log.mockRestore();
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });
});
