/**
 * The package as a consumer gets it: `npm pack`, installed into a temporary
 * project next to `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm`
 * 4.22.0 (scripts/browser/packedConsumer.ts), then used the four ways people
 * use it: `require`, `import`, `tsc --strict`, and a plain esbuild browser
 * bundle. The consumer sources are in test/packaging/consumer/.
 * Skips (saying why) only when npm cannot install offline.
 */
import {execFile} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {promisify} from 'util';
import * as ts from 'typescript';
import {bundleForBrowser, inputsOf, nodeImportsOf, packageCopies} from '../../scripts/browser/bundle';
import {packedConsumer} from '../../scripts/browser/packedConsumer';

const run = promisify(execFile);
const FIXTURES = path.join(__dirname, 'consumer');

const consumer = packedConsumer();
if (consumer.skip) console.warn(`SKIPPED test/packaging/consumer.test.ts: ${consumer.skip}`);
const describeConsumer = consumer.skip ? describe.skip : describe;
const dir = consumer.dir ?? '';
const pkgDir = path.join(dir, 'node_modules', 'tfjs-imbalanced');

/** Copies the consumer sources into the project (under src/). */
function copyFixtures(): void {
  fs.mkdirSync(path.join(dir, 'src'), {recursive: true});
  for (const f of fs.readdirSync(FIXTURES)) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, 'src', f));
}

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  return fs.readdirSync(root, {withFileTypes: true, recursive: true})
    .filter(e => e.isFile())
    .map(e => path.relative(root, path.join(e.parentPath ?? (e as unknown as {path: string}).path, e.name)));
}

/**
 * Type-checks the consumer's files with `--strict` as `tsc --noEmit` would (the
 * compiler API, in process: one program per module resolution) and returns
 * the diagnostics of `files` ("path(line,col): message"). Checking a file
 * directly is what `skipLibCheck: false` does for a `.d.ts`.
 */
function typeCheck(options: ts.CompilerOptions, files: (program: ts.Program) => ts.SourceFile[]): string[] {
  const rootNames = ['src/app.ts', 'src/nodeEntry.ts'].map(f => path.join(dir, f));
  const program = ts.createProgram({
    rootNames,
    options: {target: ts.ScriptTarget.ES2020, lib: ['lib.es2020.d.ts', 'lib.dom.d.ts'], strict: true, noEmit: true, ...options},
  });
  const diagnostics = [
    ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(),
    ...files(program).flatMap(f => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  return diagnostics.map(d => {
    const where = d.file ? `${path.relative(dir, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** The app's own files, and with `ours` also every declaration file of the package. */
const appFiles = (ours: boolean) => (program: ts.Program) => program.getSourceFiles().filter(f =>
  f.fileName.startsWith(path.join(dir, 'src')) || (ours && f.fileName.includes('/node_modules/tfjs-imbalanced/')));

describeConsumer(`the packed package in a consumer project${consumer.skip ? ` (SKIPPED: ${consumer.skip})` : ''}`, () => {
  beforeAll(() => {
    copyFixtures();
    fs.writeFileSync(path.join(dir, 'src', 'nodeEntry.ts'),
      [
        "import * as imb from 'tfjs-imbalanced/node';",
        "import {dwb, LossFunction} from 'tfjs-imbalanced/losses';",
        "import {ece} from 'tfjs-imbalanced/metrics';",
        "import {init} from 'tfjs-imbalanced/backend';",
        "export const rows: number = imb.datasets.satimage({task: 'binary'}).numRows;",
        'export const loss: LossFunction = dwb({classCounts: [9, 1]});',
        'export const metric: string = ece().name;',
        'export const selected: Promise<{choice: string}> = init();',
        '',
      ].join('\n'));
  });

  it('ships the builds, the sources the source maps point at, the data, and nothing of the repo besides', () => {
    const files = filesUnder(pkgDir);
    expect(files).toEqual(expect.arrayContaining([
      'dist/esm/index.js', 'dist/cjs/index.js', 'dist/types/index.d.ts', 'dist/types/node.d.ts', 'src/index.ts', 'data/satimage.csv', 'README.md',
    ]));
    expect(files.filter(f => /^(test|bench|scripts|examples|docs|node_modules)\//.test(f))).toEqual([]);
    // Every source map resolves to a file inside the package.
    const dangling = files.filter(f => f.endsWith('.js.map')).flatMap(map => {
      const {sources} = JSON.parse(fs.readFileSync(path.join(pkgDir, map), 'utf8')) as {sources: string[]};
      return sources.map(s => path.resolve(path.dirname(path.join(pkgDir, map)), s)).filter(s => !fs.existsSync(s)).map(s => `${map} -> ${s}`);
    });
    expect(dangling).toEqual([]);
  });

  it('its comments cite papers, never files outside the package (spec digests, oracle ids)', () => {
    const shipped = filesUnder(pkgDir).filter(f => /\.(d\.ts|js|ts)$/.test(f));
    const pattern = /\.\.\/shared|\bspecs\/|\bpapers\/|\b(crcen|csl|dwb|remix|rwwce|ARCHITECTURE|DESIGN|peers-and-user-requests)\.md\b|\b[Oo]racles?\b/;
    const offending = shipped.flatMap(f => fs.readFileSync(path.join(pkgDir, f), 'utf8').split('\n')
      .map((line, i) => ({line, i}))
      .filter(({line}) => pattern.test(line))
      .map(({line, i}) => `${f}:${i + 1}: ${line.trim()}`));
    expect(offending).toEqual([]);
  });

  it('require() (CommonJS) and import (Node ES modules) train with a loss, a metric, ExactMetrics and ds.remix()', async () => {
    const outputs = await Promise.all(['src/require.cjs', 'src/import.mjs'].map(f => run(process.execPath, [f], {cwd: dir})));
    for (const {stdout} of outputs) {
      const r = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(r).toMatchObject({version: JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version, sameNamespaces: true, remixIsMethod: true, satimageRows: 6435, leaked: 0});
      expect(Number.isFinite(r.gmean) && Number.isFinite(r.remixLoss)).toBe(true);
    }
  });

  it('an import used only for types is dropped by TypeScript: the side-effect import keeps ds.remix()', async () => {
    const source = fs.readFileSync(path.join(FIXTURES, 'typeOnlyImport.ts'), 'utf8');
    const emit = (code: string) => ts.transpileModule(code, {compilerOptions: {module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020}}).outputText;
    const variants = {
      typeOnly: emit(source),
      withSideEffectImport: emit(source.replace('// SIDE-EFFECT-IMPORT', "import 'tfjs-imbalanced';")),
    };
    const results: Record<string, boolean> = {};
    for (const [name, js] of Object.entries(variants)) {
      const file = path.join(dir, 'src', `${name}.cjs`);
      fs.writeFileSync(file, js);
      const {stdout} = await run(process.execPath, [file], {cwd: dir});
      results[name] = JSON.parse(stdout.trim()).remixIsMethod;
    }
    expect(results).toEqual({typeOnly: false, withSideEffectImport: true});
  });

  it('tsc --strict: app and package declarations check under bundler, node16 and node10 resolution; only tfjs-layers\' own .d.ts fail', () => {
    const bundler = typeCheck({module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler}, appFiles(true));
    const node16 = typeCheck({module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16}, appFiles(true));
    const node10 = typeCheck({module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10}, appFiles(true));
    expect({bundler, node16, node10}).toEqual({bundler: [], node16: [], node10: []});
    // Why a strict consumer needs skipLibCheck: tfjs-layers' declarations fail strict
    // mode by themselves (LayersModel vs InferenceModel: a nullable Shape).
    const layers = typeCheck({module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler},
      p => p.getSourceFiles().filter(f => f.fileName.endsWith('@tensorflow/tfjs-layers/dist/engine/training.d.ts')));
    expect(layers.join('\n')).toMatch(/LayersModel' incorrectly implements interface 'InferenceModel'/);
  }, 120_000);

  it('a plain esbuild browser bundle holds one copy of tfjs-core, -layers, -data and no Node built-in from the package', async () => {
    const out = path.join(dir, 'out');
    const {metafile} = await bundleForBrowser({entry: path.join(dir, 'src', 'app.ts'), outfile: path.join(out, 'app.js')});
    const copies = packageCopies(metafile);
    for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-data', 'tfjs-imbalanced']) {
      expect([pkg, copies.get(pkg)?.length]).toEqual([pkg, 1]);
    }
    expect(nodeImportsOf(metafile, 'tfjs-imbalanced')).toEqual([]);
    // The browser condition of the exports map picks the ES-module build, and nothing Node-only.
    const ours = inputsOf(metafile, 'tfjs-imbalanced');
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter(f => !f.includes('/dist/esm/') || f.includes('/dist/esm/node'))).toEqual([]);
  });

  it('an app importing one loss from tfjs-imbalanced/losses bundles the loss and its helpers only', async () => {
    const {metafile} = await bundleForBrowser({entry: path.join(dir, 'src', 'oneLoss.ts'), outfile: path.join(dir, 'out', 'oneLoss.js'), minify: true});
    const output = metafile.outputs[Object.keys(metafile.outputs)[0]].inputs;
    const ours = Object.entries(output).filter(([f, v]) => f.includes('node_modules/tfjs-imbalanced/') && v.bytesInOutput > 0)
      .map(([f]) => f.slice(f.indexOf('/dist/esm/') + 10));
    expect(ours).toEqual(expect.arrayContaining(['losses/dwb.js', 'losses/common.js']));
    expect(ours.filter(f => !/^(losses|core)\/|^errors\.js$/.test(f))).toEqual([]);
    expect(ours).not.toContain('losses/csl.js');
  });

  it('a bundle that imports the package only for its side effect keeps the Dataset methods', async () => {
    const {metafile} = await bundleForBrowser({entry: path.join(dir, 'src', 'sideEffectOnly.ts'), outfile: path.join(dir, 'out', 'sideEffectOnly.js')});
    const ours = inputsOf(metafile, 'tfjs-imbalanced').map(f => f.slice(f.indexOf('/dist/esm/') + 10));
    expect(ours).toEqual(expect.arrayContaining(['data/datasetMethods.js', 'data/remix.js']));
    const bundled = metafile.outputs[Object.keys(metafile.outputs)[0]].inputs;
    const kept = Object.entries(bundled).find(([f]) => f.endsWith('dist/esm/data/datasetMethods.js'));
    expect(kept?.[1].bytesInOutput).toBeGreaterThan(0);
  });
});
