/**
 * `tfjs-imbalanced`: the command-line face of the library (Node only).
 *
 *   tfjs-imbalanced compare [--data file.csv --label class | --dataset NAME] [options]
 *   tfjs-imbalanced render results.json [--out report.html] [--markdown table.md]
 *
 * A thin shell: arguments and files here, everything else in the library
 * (`compare.run`, `report.renderHtml`, `report.textTable`). `main` returns the
 * exit code instead of exiting, so tests call it directly: 0 success, 2 a
 * usage or input error (bad option, unreadable or malformed CSV, ...), 1 a
 * run failure (a backend that cannot start, a run whose loss became NaN, a
 * file that cannot be written).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {VERSION} from '../version';
import {init as initBackend} from '../backend';
import {DEFAULT_METHODS} from '../compare/methods';
import {METRICS} from '../compare/metricSet';
import {prepare, run} from '../compare/run';
import type {CompareOptions, CompareResult} from '../compare/types';
import {save} from '../io';
import {fileSystem} from '../node/fileSystem';
import {renderHtml} from '../report/render';
import {markdownTable, textTable} from '../report/table';
import {CompareArgs, CliArgs, helpText, parseArgs, RenderArgs, UsageError} from './args';
import {FileAccess, loadData, parseCosts} from './data';
import {ProgressOutput, ProgressPrinter} from './progress';

/** What the command reads and writes (the process's streams and files by default). */
export interface CliIO extends FileAccess {
  stdout: ProgressOutput;
  stderr: {write(chunk: string): unknown};
  writeFile(path: string, text: string): void;
}

/** The real process streams and file system. */
export function nodeIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readFile: file => fs.readFileSync(file, 'utf8'),
    writeFile: (file, text) => fs.writeFileSync(file, text),
  };
}

/** A run-time failure: exit code 1. */
class RunFailure extends Error {}

/** Which command-line flag an engine option error is about. */
const FLAGS: [RegExp, string][] = [
  [/^methods\[\d+\]\.options/, '--set'],
  [/^methods/, '--methods'],
  [/^monitor/, '--monitor'],
  [/^metrics/, '--metrics'],
  [/^costs/, '--costs'],
  [/^threshold/, '--threshold'],
  [/^temperatureScale/, '--temperature-scale'],
  [/^splits/, '--split'],
  [/^patience/, '--patience'],
  [/^bins/, '--bins'],
  [/^repeats/, '--repeats'],
];

function usageFrom(e: ImbalancedInputError): UsageError {
  const flag = FLAGS.find(([re]) => re.test(e.parameter))?.[1] ?? '--methods / --set';
  return new UsageError(`${flag}: ${e.message}`);
}

/** The engine options for the parsed arguments. */
function compareOptions(args: CompareArgs, name: string, costs: CompareOptions['costs']): CompareOptions {
  const methods = (args.methods ?? DEFAULT_METHODS).map(method => {
    const components = method.split('+').map(s => s.trim());
    const options: Record<string, Record<string, unknown>> = {};
    for (const c of components) if (args.set[c]) options[c] = args.set[c];
    return Object.keys(options).length ? {method, options} : method;
  });
  const used = new Set(methods.flatMap(m => (typeof m === 'string' ? m : m.method).split('+').map(s => s.trim())));
  for (const c of Object.keys(args.set)) {
    if (!used.has(c)) throw new UsageError(`--set ${c}.…: ${JSON.stringify(c)} is not one of the methods compared (${[...used].join(', ')})`);
  }
  return {
    methods,
    epochs: args.epochs,
    batchSize: args.batchSize,
    learningRate: args.lr,
    hidden: args.hidden,
    repeats: args.repeats,
    seed: args.seed,
    splits: {kind: 'stratified', validation: args.split.validation, test: args.split.test},
    threshold: args.threshold,
    thresholdMetric: args.thresholdMetric,
    temperatureScale: args.temperatureScale,
    monitor: args.monitor,
    patience: args.patience,
    ...(args.metrics ? {metrics: args.metrics} : {}),
    ...(costs ? {costs} : {}),
    bins: args.bins,
    dataName: name,
  };
}

/** Registers tfjs' CPU backend when the package is installed (it comes with @tensorflow/tfjs). */
async function loadCpuBackend(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-backend-cpu');
  } catch {
    // Not installed: backend.init finds another one or explains.
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function write(io: CliIO, file: string, text: string, what: string): void {
  try {
    io.writeFile(file, text);
  } catch (e) {
    throw new RunFailure(`cannot write the ${what} to ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
}

async function compareCommand(args: CompareArgs, argv: string[], io: CliIO): Promise<number> {
  const loaded = loadData(args, io);
  const costs = parseCosts(args.costs, io);
  const options = compareOptions(args, loaded.name, costs);
  await loadCpuBackend();
  let selection: Awaited<ReturnType<typeof initBackend>>;
  try {
    selection = await initBackend(args.backend);
  } catch (e) {
    throw new RunFailure((e as Error).message);
  }
  // tfjs' CPU backend prints a "use tfjs-node" banner on first use; the line below says which backend runs.
  const cpu = tf.backend() as unknown as {firstUse?: boolean};
  if (cpu.firstUse !== undefined) cpu.firstUse = false;
  // Every option is checked (methods, costs, monitor ...) before anything trains.
  try {
    prepare(loaded.data, options);
  } catch (e) {
    if (e instanceof ImbalancedInputError) throw usageFrom(e);
    throw e;
  }
  for (const line of loaded.statement) io.stdout.write(`${line}\n`);
  io.stdout.write(`backend: ${selection.backend}${selection.skipped.length ? ` (skipped ${selection.skipped.map(s => s.choice).join(', ')})` : ''}\n`);

  const monitored = args.monitor?.replace(/^val_/, '');
  const testKey = monitored !== undefined && monitored !== 'loss' && METRICS[monitored] ? monitored : 'gmean';
  const printer = args.quiet ? null : new ProgressPrinter(io.stdout, {monitor: args.monitor, testMetric: {key: testKey, label: METRICS[testKey].label}});
  const saveModel = args.saveModels === undefined ? undefined : modelSaver(args.saveModels);
  let result: CompareResult;
  try {
    result = await run(loaded.data, {...options, onProgress: e => printer?.handle(e), ...(saveModel ? {onModel: saveModel} : {})});
  } catch (e) {
    if (e instanceof ImbalancedInputError) throw usageFrom(e);
    throw new RunFailure((e as Error).message);
  }
  result.environment.node = process.version;
  result.environment.backendChoice = selection.choice;
  result.extra = {
    command: ['tfjs-imbalanced', ...argv].map(quote).join(' '),
    data: loaded.source,
    createdAt: new Date().toISOString(),
  };

  const c = result.config;
  io.stdout.write(`\n${textTable(result)}\n`);
  io.stdout.write(`\n* best in its column. Mean ± sd over ${c.repeats} repeat${c.repeats === 1 ? '' : 's'} on the test rows (${c.splits})` +
    `${c.monitor ? `, each run at its best epoch by ${c.monitor}` : ''}` +
    `${result.data.numClasses === 2 ? `; class 1 when P(class 1) > ${c.threshold === 'tuned' ? `a threshold tuned for ${c.thresholdMetric}` : c.threshold}` : ''}. ` +
    `${result.seconds.toFixed(0)} s on ${result.environment.backend}.\n`);
  const failed = result.runs.filter(r => r.error !== undefined);
  for (const r of failed) io.stderr.write(`tfjs-imbalanced: run ${r.method}, repeat ${r.repeat + 1} failed: ${r.error}\n`);
  if (args.json) {
    write(io, args.json, `${JSON.stringify(result, null, 1)}\n`, 'results');
    io.stdout.write(`wrote ${args.json}\n`);
  }
  if (args.out) {
    write(io, args.out, renderHtml(result), 'report');
    io.stdout.write(`wrote ${args.out}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** `--save-models DIR`: each trained model to DIR/<method>-repeat<r>/ (model.json + weights.bin) through io.save. */
function modelSaver(dir: string): NonNullable<CompareOptions['onModel']> {
  return async (model, r) => {
    const slug = r.method.replace(/[^\w.+-]+/g, '_').replace(/^_+|_+$/g, '');
    const target = path.join(dir, `${slug}-repeat${r.repeat + 1}`);
    try {
      fs.mkdirSync(target, {recursive: true});
      await save(model, fileSystem(target));
    } catch (e) {
      throw new RunFailure(`cannot save the ${r.method} model of repeat ${r.repeat + 1} to ${JSON.stringify(target)}: ${(e as Error).message}`);
    }
  };
}

/** Reads a `--json` file of compare back. */
function readResult(file: string, io: CliIO): CompareResult {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new UsageError(`render: cannot read ${JSON.stringify(file)}: ${(e as {code?: string}).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let parsed: CompareResult;
  try {
    parsed = JSON.parse(text) as CompareResult;
  } catch (e) {
    throw new UsageError(`render: ${file} is not valid JSON (${(e as Error).message})`);
  }
  if (parsed?.format !== 'tfjs-imbalanced/compare@1') throw new UsageError(`render: ${file} is not the --json output of tfjs-imbalanced compare (format ${JSON.stringify(parsed?.format)})`);
  // JSON stores NaN as null; the renderer shows both as a dash.
  return parsed;
}

function renderCommand(args: RenderArgs, io: CliIO): number {
  const result = readResult(args.input, io);
  const out = args.out ?? args.input.replace(/\.json$/i, '') + '.html';
  write(io, out, renderHtml(result), 'report');
  io.stdout.write(`wrote ${out}\n`);
  if (args.markdown === '-') io.stdout.write(`${markdownTable(result)}\n`);
  else if (args.markdown) {
    write(io, args.markdown, `${markdownTable(result)}\n`, 'Markdown table');
    io.stdout.write(`wrote ${args.markdown}\n`);
  }
  return 0;
}

/** Runs the command for `argv` (the arguments after the program name) and returns the exit code. */
export async function main(argv: string[], io: CliIO = nodeIO()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
    if (args.command === 'help') {
      io.stdout.write(helpText(args.topic));
      return 0;
    }
    if (args.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    return args.command === 'compare' ? await compareCommand(args, argv, io) : renderCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`tfjs-imbalanced: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`tfjs-imbalanced: ${e instanceof RunFailure ? e.message : (e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
