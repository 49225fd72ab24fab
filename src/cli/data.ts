/**
 * Reading the command's inputs: the user's CSV (through `parseCsvDataset`,
 * whose errors name the row and column) or a shipped dataset, the positive
 * class of a binary task, and the costs. Every problem is a UsageError.
 */
import {ImbalancedInputError} from '../errors';
import type {Costs} from '../compare/types';
import {parseCsvDataset, relabel, TabularDataset} from '../datasets/tabular';
import {glass, satimage} from '../node/datasets';
import {CompareArgs, UsageError} from './args';

/** File access the command needs (swapped in tests). */
export interface FileAccess {
  readFile(path: string): string;
}

/** The data to compare and how it was read. */
export interface LoadedData {
  data: TabularDataset;
  /** Short name for titles: the file name or the dataset name. */
  name: string;
  /** How the data was read, recorded in the JSON. */
  source: Record<string, unknown>;
  /** Lines stating the data and the label mapping, printed before training. */
  statement: string[];
}

function readText(io: FileAccess, path: string, option: string): string {
  try {
    return io.readFile(path);
  } catch (e) {
    const code = (e as {code?: string}).code;
    throw new UsageError(`${option}: cannot read ${JSON.stringify(path)}${code === 'ENOENT' ? ' (no such file)' : code === 'EISDIR' ? ' (a directory)' : `: ${(e as Error).message}`}`);
  }
}

function shipped(name: string): TabularDataset {
  if (name === 'satimage-binary') return satimage({task: 'binary'});
  if (name === 'satimage') return satimage();
  return glass();
}

/** Makes `positive` class 1 of a binary task (default: the minority class). */
function withPositive(ds: TabularDataset, positive: string | undefined, counts: number[]): TabularDataset {
  if (ds.numClasses !== 2) {
    if (positive !== undefined) throw new UsageError(`--positive applies to binary tasks; the data has ${ds.numClasses} classes`);
    return ds;
  }
  let p = counts[1] <= counts[0] ? 1 : 0;
  if (positive !== undefined) {
    p = ds.classNames.indexOf(positive);
    if (p < 0) throw new UsageError(`--positive: expected one of the labels ${ds.classNames.map(n => JSON.stringify(n)).join(', ')}, got ${JSON.stringify(positive)}`);
  }
  return p === 1 ? ds : relabel(ds, y => 1 - y, [ds.classNames[1], ds.classNames[0]]);
}

/** Reads `--data` or `--dataset` (default satimage-binary). */
export function loadData(args: CompareArgs, io: FileAccess): LoadedData {
  let ds: TabularDataset;
  let name: string;
  let source: Record<string, unknown>;
  let how: string;
  if (args.data !== undefined) {
    const text = readText(io, args.data, '--data');
    try {
      ds = parseCsvDataset(text, {
        labelColumn: args.label, labels: args.labels, delimiter: args.delimiter, ignoreColumns: args.ignore, minRowsPerClass: 2,
      });
    } catch (e) {
      if (e instanceof ImbalancedInputError) {
        const msg = e.parameter === 'labelColumn'
          ? `--label: expected a column of the header (${e.expected.replace(/^a column of the CSV header \((.*)\)$/, '$1')}), got ${JSON.stringify(args.label)}`
          : e.message;
        throw new UsageError(`--data ${args.data}: ${msg}`);
      }
      throw e;
    }
    if (ds.numRows === 0) throw new UsageError(`--data ${args.data}: no data rows after the header`);
    if (ds.numFeatures === 0) throw new UsageError(`--data ${args.data}: no feature columns besides the label column`);
    if (ds.numClasses < 2) throw new UsageError(`--data ${args.data}: the label column ${JSON.stringify(args.label)} holds a single class (${JSON.stringify(ds.classNames[0])}); a comparison needs at least 2`);
    name = args.data.split(/[\\/]/).pop()!.replace(/\.csv$/i, '');
    source = {file: args.data, labelColumn: args.label, labels: args.labels, delimiter: args.delimiter, ignore: args.ignore};
    how = args.labels === 'index' ? 'labels are class indices' : args.labels === 'sorted' ? 'labels sorted' : 'labels in order of first appearance';
  } else {
    name = args.dataset ?? 'satimage-binary';
    ds = shipped(name);
    source = {dataset: name};
    how = 'shipped dataset';
  }
  const counts = new Array<number>(ds.numClasses).fill(0);
  ds.labels.forEach(y => counts[y]++);
  const before = ds.classNames;
  ds = withPositive(ds, args.positive, counts);
  const swapped = ds.classNames !== before;
  const finalCounts = swapped ? [counts[1], counts[0]] : counts; // withPositive only swaps the two classes of a binary task
  if (ds.numClasses === 2) source.positive = ds.classNames[1];
  const classes = ds.classNames.map((n, k) => `${k} = ${JSON.stringify(n)} (${finalCounts[k]} rows${ds.numClasses === 2 && k === 1 ? ', positive' : ''})`).join(', ');
  const statement = [
    `data: ${args.data ?? name}, ${ds.numRows} rows x ${ds.numFeatures} features${args.data !== undefined ? `, label column ${JSON.stringify(args.label)}` : ''}`,
    `classes (${how}${swapped ? (args.positive !== undefined ? '; --positive made class 1' : '; the minority class made class 1') : ''}): ${classes}`,
  ];
  return {data: ds, name, source, statement};
}

/** Reads `--costs FN,FP` (binary) or a JSON file `{"costFN": ..., "costFP": ...}`. */
export function parseCosts(value: string | undefined, io: FileAccess): Costs | undefined {
  if (value === undefined) return undefined;
  const pair = value.split(',');
  if (pair.length === 2 && pair.every(v => v.trim() !== '' && Number.isFinite(Number(v)))) {
    const [costFN, costFP] = pair.map(Number);
    if (costFN < 0 || costFP < 0) throw new UsageError(`--costs: expected costs >= 0, got ${value}`);
    return {costFN, costFP};
  }
  if (pair.length > 1 && !/\.json$/i.test(value)) throw new UsageError(`--costs: expected FN,FP (two numbers) or a JSON file, got ${JSON.stringify(value)}`);
  const text = readText(io, value, '--costs');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--costs ${value}: not valid JSON (${(e as Error).message})`);
  }
  const o = parsed as {costFN?: unknown; costFP?: unknown};
  if (o === null || typeof o !== 'object' || o.costFN === undefined || o.costFP === undefined) {
    throw new UsageError(`--costs ${value}: expected {"costFN": ..., "costFP": ...} (numbers for a binary task, or a vector and a matrix)`);
  }
  return o as Costs;
}
