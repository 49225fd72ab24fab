/**
 * The command end to end through `main(argv, io)` with in-memory files:
 * every bad-input case with its message and exit code 2, a run failure with
 * exit code 1, a small successful comparison on a CSV with string labels
 * (exit 0, JSON and HTML written), and `render`. The spawned-process test
 * checks the real exit codes of the bin entry.
 */
import {ensureBuilt} from '../../scripts/browser/packedConsumer';
import * as tf from '@tensorflow/tfjs';
import {spawnSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as io from '../../src/io';
import {fileSystem} from '../../src/node/fileSystem';
import {main, CliIO} from '../../src/cli/main';
import {VERSION} from '../../src/version';
import type {CompareResult} from '../../src/compare/types';
import {blobs} from '../compare/fixtures';

interface Memory {
  io: CliIO;
  out: () => string;
  err: () => string;
  files: Record<string, string>;
}

function memory(files: Record<string, string> = {}): Memory {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: {write: (s: string) => (out += s), isTTY: false},
    stderr: {write: (s: string) => (err += s)},
    readFile: p => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), {code: 'ENOENT'});
      return files[p];
    },
    writeFile: (p, text) => {
      if (p.startsWith('/readonly/')) throw new Error(`EACCES: permission denied, open '${p}'`);
      files[p] = text;
    },
  };
  return {io, out: () => out, err: () => err, files};
}

/** A CSV the project has never seen: string labels, an id column, columns in any order. */
function fraudCsv(): string {
  const d = blobs([80, 24], 3, 9);
  const rows = Array.from({length: d.numRows}, (_, i) =>
    [`tx${i}`, d.labels[i] === 1 ? 'fraud' : 'normal', ...Array.from(d.features.subarray(3 * i, 3 * i + 3), v => v.toFixed(4))].join(','));
  return ['id,class,amount,age,score', ...rows].join('\n');
}

const SMALL = ['--backend', 'cpu', '--epochs', '2', '--repeats', '2', '--quiet'];

describe('tfjs-imbalanced compare: bad input is exit code 2 with a message naming the problem', () => {
  const csv = 'a,b,class\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n';
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['an unknown option', ['compare', '--epoch', '2'], {}, /unknown option --epoch for compare \(did you mean --epochs\?\)/],
    ['a bad number', ['compare', '--repeats', 'two'], {}, /--repeats: expected an integer >= 1, got "two"/],
    ['a missing file', ['compare', '--data', 'missing.csv'], {}, /--data: cannot read "missing.csv" \(no such file\)/],
    ['a missing value', ['compare', '--data', 'd.csv'], {'d.csv': 'a,b,class\n1,2,x\n3,,y\n'}, /--data d\.csv: CSV row 3, column b: expected a finite number, got a missing value \(""\)/],
    ['a non-numeric feature cell', ['compare', '--data', 'd.csv'], {'d.csv': 'a,b,class\n1,2,x\n3,high,y\n'}, /--data d\.csv: CSV row 3, column b: expected a finite number, got "high"/],
    ['a label column that is not there', ['compare', '--data', 'd.csv', '--label', 'target'], {'d.csv': csv}, /--label: expected a column of the header \(a, b, class\), got "target"/],
    ['a class with one row', ['compare', '--data', 'd.csv'], {'d.csv': `${csv}9,10,z\n`}, /--data d\.csv: CSV row 6, column class: expected at least 2 rows of every class, got 1 row of class "z"/],
    ['a single class', ['compare', '--data', 'd.csv'], {'d.csv': 'a,class\n1,x\n2,x\n'}, /the label column "class" holds a single class \("x"\)/],
    ['a row with a missing cell', ['compare', '--data', 'd.csv'], {'d.csv': 'a,b,class\n1,2,x\n3,y\n'}, /--data d\.csv: CSV row 3: expected 3 cells, got 2/],
    ['an unknown method', ['compare', '--methods', 'ce,svm'], {}, /--methods: methods\[1\]: expected a method name .*got "svm"/],
    ['an option of a method not compared', ['compare', '--methods', 'ce', '--set', 'focal.gamma=1'], {}, /--set focal\.…: "focal" is not one of the methods compared \(ce\)/],
    ['an unknown method option', ['compare', '--methods', 'focal', '--set', 'focal.gama=1'], {}, /--set: methods\[0\]\.options\.focal\.gama: expected an option of focal: did you mean 'gamma'\? \(focal takes gamma, alpha\), got an unknown option/],
    ['a bad method option value', ['compare', '--methods', 'focal', '--set', 'focal.gamma=-1'], {}, /--methods \/ --set: gamma: expected a finite number >= 0, got -1/],
    ['rwwce without costs', ['compare', '--methods', 'rwwce'], {}, /--methods: methods\[0\]: expected costs for rwwce/],
    ['unreadable costs', ['compare', '--costs', '5;1'], {}, /--costs: cannot read "5;1" \(no such file\)/],
    ['a bad monitor', ['compare', '--monitor', 'val_accuracy2'], {}, /--monitor: monitor: expected one of val_loss/],
    ['an unknown positive class', ['compare', '--data', 'd.csv', '--positive', 'w'], {'d.csv': csv}, /--positive: expected one of the labels "x", "y", got "w"/],
    ['render without a file', ['render', 'nope.json'], {}, /render: cannot read "nope\.json": no such file/],
    ['render of another JSON', ['render', 'r.json'], {'r.json': '{"a": 1}'}, /render: r\.json is not the --json output of tfjs-imbalanced compare/],
  ];
  it.each(cases)('%s', async (_name, argv, files, message) => {
    const m = memory(files);
    const args = argv[0] === 'compare' ? [...argv, '--backend', 'cpu'] : argv;
    expect(await main(args, m.io)).toBe(2);
    expect(m.err()).toMatch(message);
    expect(m.err().startsWith('tfjs-imbalanced: ')).toBe(true);
  });
});

describe('tfjs-imbalanced compare: runs', () => {
  it('compares methods on a CSV it has never seen, with string labels; writes JSON and HTML; exit 0', async () => {
    const m = memory({'fraud.csv': fraudCsv()});
    const code = await main(['compare', '--data', 'fraud.csv', '--label', 'class', '--ignore', 'id', '--methods', 'ce,dwb,remix,smote',
      '--json', 'r.json', '--out', 'r.html', ...SMALL], m.io);
    expect(m.err()).toBe('');
    expect(code).toBe(0);
    const out = m.out();
    expect(out).toContain('data: fraud.csv, 104 rows x 3 features, label column "class"');
    // Sorted labels put fraud first; as the minority it is made class 1 (the positive class), and the output says so.
    expect(out).toContain('classes (labels sorted; the minority class made class 1): 0 = "normal" (80 rows), 1 = "fraud" (24 rows, positive)');
    expect(out).toContain('backend: cpu');
    expect(out).toMatch(/method\s+bal\. acc ↑\s+macro F1 ↑\s+g-mean ↑\s+AUROC ↑\s+AUPRC ↑\s+ECE ↓\s+Brier ↓\s+bal\. Brier ↓\s+best epoch\s+s \/ run/);
    for (const method of ['ce', 'dwb', 'remix', 'smote']) expect(out).toMatch(new RegExp(`\\n${method}\\s+0\\.\\d{3} ± 0\\.\\d{3}`));
    expect(out).toContain('wrote r.json\nwrote r.html\n');
    const json = JSON.parse(m.files['r.json']) as CompareResult;
    expect(json.format).toBe('tfjs-imbalanced/compare@1');
    expect(json.runs).toHaveLength(8);
    expect(json.environment).toMatchObject({library: VERSION, backend: 'cpu', backendChoice: 'cpu'});
    expect(json.extra).toMatchObject({
      command: 'tfjs-imbalanced compare --data fraud.csv --label class --ignore id --methods ce,dwb,remix,smote --json r.json --out r.html --backend cpu --epochs 2 --repeats 2 --quiet',
      data: {file: 'fraud.csv', labelColumn: 'class', labels: 'sorted', positive: 'fraud', ignore: ['id']},
    });
    expect(json.config).toMatchObject({epochs: [2], repeats: 2, seed: 0, monitor: 'val_gmean'});
    expect(json.runs[0].seeds).toEqual({split: 0, init: 1, data: 500});
    expect(json.data.classNames).toEqual(['normal', 'fraud']);
    const html = m.files['r.html'];
    expect(html.split('<svg class="chart reliability"').length - 1).toBe(4 + 1); // one per method + the how-to example
    // The same command gives the same numbers.
    const again = memory({'fraud.csv': fraudCsv()});
    await main(['compare', '--data', 'fraud.csv', '--label', 'class', '--ignore', 'id', '--methods', 'ce,dwb,remix,smote', '--json', 'r.json', ...SMALL], again.io);
    const second = JSON.parse(again.files['r.json']) as CompareResult;
    expect(second.runs.map(r => r.evaluations)).toEqual(json.runs.map(r => r.evaluations));

    // render: the report again from the JSON, and a Markdown table on stdout.
    const r = memory({'r.json': m.files['r.json']});
    expect(await main(['render', 'r.json', '--markdown', '-'], r.io)).toBe(0);
    expect(r.files['r.html']).toContain('<table class="results">');
    expect(r.out()).toMatch(/wrote r\.html\n\| method \| bal\. acc ↑ \|/);
  });

  it('prints one line per finished run when stdout is not a terminal', async () => {
    const m = memory();
    expect(await main(['compare', '--dataset', 'glass', '--methods', 'ce,cb', '--backend', 'cpu', '--epochs', '1', '--repeats', '1', '--hidden', '8'], m.io)).toBe(0);
    const lines = m.out().split('\n');
    expect(lines).toContain('training 2 methods x 1 repeat = 2 runs, up to 1 epochs each');
    expect(lines.filter(l => /^\[\d\/2\] (ce|cb)\s+repeat 1\/1 {2}best epoch 1\/1 {2}test g-mean \d\.\d{3} {2}\d+\.\ds$/.test(l))).toHaveLength(2);
    expect(m.out()).toContain('classes (shipped dataset): 0 = "building float" (70 rows)');
  });

  it('exit code 1: a backend that cannot start, a run whose loss diverges, a file that cannot be written', async () => {
    const a = memory();
    expect(await main(['compare', '--backend', 'webgpu', '--methods', 'ce'], a.io)).toBe(1);
    expect(a.err()).toMatch(/backend 'webgpu' is not available/);
    const b = memory();
    expect(await main(['compare', '--dataset', 'glass', '--methods', 'ce', '--lr', '1e30', '--epochs', '2', '--repeats', '1', '--backend', 'cpu', '--quiet', '--json', 'x.json'], b.io)).toBe(1);
    expect(b.err()).toMatch(/run ce, repeat 1 failed: training diverged|run ce, repeat 1 failed: the training loss became/);
    expect(b.files['x.json']).toBeDefined(); // results are still written
    const c = memory();
    expect(await main(['compare', '--dataset', 'glass', '--methods', 'ce', '--epochs', '1', '--repeats', '1', '--backend', 'cpu', '--quiet', '--out', '/readonly/r.html'], c.io)).toBe(1);
    expect(c.err()).toMatch(/cannot write the report to "\/readonly\/r\.html": EACCES/);
  });

  it('--save-models writes every trained model; io.load reads it back, compiled with its loss', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-imbalanced-models-'));
    try {
      const m = memory();
      // glass has 9 tableware rows, 5 of them in training: SMOTE needs k <= 4.
      expect(await main(['compare', '--dataset', 'glass', '--methods', 'ce,smote+focal', '--set', 'smote.k=3', '--epochs', '2', '--repeats', '1',
        '--backend', 'cpu', '--quiet', '--save-models', dir, '--json', 'r.json'], m.io)).toBe(0);
      expect(fs.readdirSync(dir).sort()).toEqual(['ce-repeat1', 'smote+focal_k_3-repeat1']);
      const model = await io.load(fileSystem(path.join(dir, 'smote+focal_k_3-repeat1')));
      const x = tf.ones([1, 9]);
      const p = Array.from((model.predict(x) as tf.Tensor).dataSync());
      expect(p).toHaveLength(6);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect((model.loss as unknown as {name: string}).name).toBe('focal');
      io.dispose(model);
      x.dispose();
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
    // A directory that cannot be made (its parent is a file): exit code 1, the comparison stops.
    const file = path.join(os.tmpdir(), `tfjs-imbalanced-not-a-dir-${process.pid}`);
    fs.writeFileSync(file, '');
    try {
      const bad = memory();
      expect(await main(['compare', '--dataset', 'glass', '--methods', 'ce', '--epochs', '1', '--repeats', '1', '--backend', 'cpu', '--quiet', '--save-models', file], bad.io)).toBe(1);
      expect(bad.err()).toMatch(/cannot save the ce model of repeat 1 to ".*ce-repeat1": ENOTDIR/);
    } finally {
      fs.rmSync(file, {force: true});
    }
  });

  it('--help and --version exit 0', async () => {
    const m = memory();
    expect(await main(['--version'], m.io)).toBe(0);
    expect(m.out()).toBe(`${VERSION}\n`);
    expect(await main(['compare', '--help'], m.io)).toBe(0);
    expect(m.out()).toContain('Usage: tfjs-imbalanced compare [options]');
  });
});

describe('the tfjs-imbalanced process', () => {
  const root = path.resolve(__dirname, '..', '..');
  it('exits 2 on a usage error and 0 for --version (src/cli/bin.ts)', () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {cwd: root, encoding: 'utf8'});
    const bad = run(['compare', '--epochs', 'x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('tfjs-imbalanced: --epochs: expected an integer >= 1, got "x"\n');
    const ok = run(['--version']);
    expect([ok.status, ok.stdout]).toEqual([0, `${VERSION}\n`]);
  });

  it('bin/tfjs-imbalanced.js runs the built command', () => {
    ensureBuilt(); // dist/ (npm ci builds it through prepare; rebuilt here only if a source is newer)
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'tfjs-imbalanced.js'), 'compare', '--methods', 'nope'], {cwd: root, encoding: 'utf8'});
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tfjs-imbalanced: --methods: methods\[0\]: expected a method name/);
  });
});
