/**
 * Command-line parsing for `tfjs-imbalanced`: a table of options (name, value
 * kind, default, help line) from which both the parser and the help text are
 * made. Every mistake is a {@link UsageError} naming the option (exit code 2).
 */
import {AUTO_ORDER, BackendChoice} from '../backend';
import {closestName} from '../core/validate';
import {DEFAULT_METHODS, METHOD_NAMES} from '../compare/methods';
import {METRICS} from '../compare/metricSet';
import type {ThresholdMetric} from '../compare/threshold';

/** A mistake in the command line or the user's input files: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed `compare` options (strings are checked further where the data is known). */
export interface CompareArgs {
  command: 'compare';
  data?: string;
  label: string;
  labels: 'sorted' | 'appearance' | 'index';
  delimiter: string;
  ignore: string[];
  positive?: string;
  dataset?: string;
  methods?: string[];
  set: Record<string, Record<string, unknown>>;
  epochs: number[];
  batchSize: number;
  hidden: number[];
  lr: number;
  repeats: number;
  seed: number;
  split: {validation: number; test: number};
  backend?: BackendChoice;
  threshold: number | 'tuned';
  thresholdMetric: ThresholdMetric;
  temperatureScale: boolean;
  monitor: string | null;
  patience: number;
  metrics?: string[];
  costs?: string;
  bins: number;
  json?: string;
  out?: string;
  saveModels?: string;
  quiet: boolean;
}

/** Parsed `render` options. */
export interface RenderArgs {
  command: 'render';
  input: string;
  out?: string;
  markdown?: string;
}

/** What the command line asks for. */
export type CliArgs = CompareArgs | RenderArgs | {command: 'help'; topic?: string} | {command: 'version'};

type Kind = 'string' | 'int' | 'number' | 'list' | 'ints' | 'flag';

interface OptionSpec {
  name: string;
  kind: Kind;
  value?: string;
  help: string;
}

/** The shipped datasets `--dataset` accepts. */
export const DATASETS = ['satimage-binary', 'satimage', 'glass'];

/** Options of `compare`, in help order. */
export const COMPARE_OPTIONS: OptionSpec[] = [
  {name: 'data', kind: 'string', value: 'FILE.csv', help: 'your data: a CSV with a header row, numeric feature columns and a label column'},
  {name: 'label', kind: 'string', value: 'COLUMN', help: "the label column of --data (default: class)"},
  {name: 'labels', kind: 'string', value: 'ORDER', help: 'how labels become class indices: sorted (default; numeric order if all are numbers), appearance (order of first appearance), index (labels are 0-based indices)'},
  {name: 'delimiter', kind: 'string', value: 'CHAR', help: "cell separator of --data: ',' (default), ';' or tab"},
  {name: 'ignore', kind: 'list', value: 'COLS', help: 'columns of --data to leave out (ids, text), comma-separated'},
  {name: 'positive', kind: 'string', value: 'LABEL', help: 'binary tasks: the positive class (default: the minority class); it becomes class 1'},
  {name: 'dataset', kind: 'string', value: 'NAME', help: `a shipped dataset instead of --data: ${DATASETS.join(', ')} (default: satimage-binary)`},
  {name: 'methods', kind: 'list', value: 'LIST', help: `methods to compare, comma-separated: ${METHOD_NAMES.join(', ')}, or sampler+loss (e.g. smote+dwb). Default: ${DEFAULT_METHODS.join(',')}`},
  {name: 'set', kind: 'string', value: 'M.KEY=VALUE', help: 'a method option, e.g. focal.gamma=1, smote.k=3, ldam.drwEpoch=20 (repeatable)'},
  {name: 'epochs', kind: 'ints', value: 'N', help: 'training epochs (default 30); several (10,30) evaluate each run at every budget'},
  {name: 'batch-size', kind: 'int', value: 'N', help: 'mini-batch size (default 64)'},
  {name: 'hidden', kind: 'ints', value: 'A,B', help: 'hidden layer widths of the MLP (default 64,32)'},
  {name: 'lr', kind: 'number', value: 'X', help: 'Adam learning rate (default 0.001)'},
  {name: 'repeats', kind: 'int', value: 'N', help: 'stratified train/validation/test splits, each with its own seed (default 3)'},
  {name: 'seed', kind: 'int', value: 'N', help: 'base seed of splits, weights, batch order and samplers (default 0)'},
  {name: 'split', kind: 'list', value: 'V,T', help: 'validation and test fractions (default 0.2,0.2); V = 0: no validation rows'},
  {name: 'backend', kind: 'string', value: 'NAME', help: 'tfjs backend: node-gpu, node, wasm, cpu (default: the fastest available)'},
  {name: 'threshold', kind: 'string', value: 'X|tuned', help: "binary tasks: class 1 when P(class 1) > X (default 0.5), or 'tuned' on the validation rows"},
  {name: 'threshold-metric', kind: 'string', value: 'M', help: 'what --threshold tuned maximises: gmean (default), balancedAccuracy, macroF1, f1'},
  {name: 'temperature-scale', kind: 'flag', help: 'also report every method after temperature scaling on the validation rows (+ TS rows)'},
  {name: 'monitor', kind: 'string', value: 'KEY', help: "validation metric for early stopping and the best epoch, e.g. val_gmean (default), val_loss, val_auroc; 'none' keeps the last epoch"},
  {name: 'patience', kind: 'string', value: 'N', help: "epochs without improvement before stopping (default 10; 'none': never stop early)"},
  {name: 'metrics', kind: 'list', value: 'LIST', help: `table columns: ${Object.keys(METRICS).join(', ')}`},
  {name: 'costs', kind: 'string', value: 'FN,FP|FILE', help: 'costs of a false negative and a false positive (binary), or a JSON file {"costFN": [...], "costFP": [[...]]}: adds the cost column and enables rwwce'},
  {name: 'bins', kind: 'int', value: 'N', help: 'confidence bins of ECE and the reliability diagrams (default 15)'},
  {name: 'json', kind: 'string', value: 'FILE', help: 'write every per-repeat number and the exact configuration as JSON'},
  {name: 'out', kind: 'string', value: 'FILE.html', help: 'write the self-contained HTML report'},
  {name: 'save-models', kind: 'string', value: 'DIR', help: 'save every trained model (best epoch) as DIR/<method>-repeat<r>/model.json with io.save (reload with io.load)'},
  {name: 'quiet', kind: 'flag', help: 'no progress output'},
  {name: 'help', kind: 'flag', help: 'show this help'},
];

/** Options of `render`. */
export const RENDER_OPTIONS: OptionSpec[] = [
  {name: 'out', kind: 'string', value: 'FILE.html', help: 'write the HTML report (default: the JSON file name with .html)'},
  {name: 'markdown', kind: 'string', value: 'FILE', help: "write the results table as Markdown ('-' for standard output)"},
  {name: 'help', kind: 'flag', help: 'show this help'},
];

const HELP_HINT = "Run 'tfjs-imbalanced compare --help' for the options.";

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

function optionHelp(specs: OptionSpec[]): string {
  const heads = specs.map(o => `  --${o.name}${o.value ? ` ${o.value}` : ''}`);
  const w = Math.max(...heads.map(h => h.length)) + 2;
  return specs.map((o, i) => wrap(o.help, Math.max(40, 100 - w)).map((l, j) => `${(j === 0 ? heads[i] : '').padEnd(w)}${l}`).join('\n')).join('\n');
}

/** Help text of a command (or the overview). */
export function helpText(topic?: string): string {
  if (topic === 'render') {
    return `Usage: tfjs-imbalanced render RESULTS.json [options]\n\nRe-renders the report (and a Markdown table) from a --json file of compare.\n\n${optionHelp(RENDER_OPTIONS)}\n`;
  }
  if (topic === 'compare') {
    return `Usage: tfjs-imbalanced compare [options]\n\n` +
      `Trains the same network with each method on the same seeded stratified splits of your data\n` +
      `and compares them on the held-out rows: balanced accuracy, macro F1, g-mean, AUROC, AUPRC,\n` +
      `ECE, Brier and balanced Brier (mean ± sd over repeats), each run at its best epoch by an exact\n` +
      `validation metric. Writes an HTML report with reliability diagrams (--out) and JSON (--json).\n\n` +
      `${optionHelp(COMPARE_OPTIONS)}\n\n` +
      `Exit codes: 0 success, 2 usage or input error, 1 a run failed (e.g. its loss became NaN).\n` +
      `Example: tfjs-imbalanced compare --data fraud.csv --label class --methods ce,dwb,remix,smote --epochs 5 --repeats 2 --out report.html\n`;
  }
  return `Usage: tfjs-imbalanced <command> [options]\n\nCommands:\n` +
    `  compare   compare imbalance methods on your data (or a shipped dataset) and write a report\n` +
    `  render    re-render a report from the JSON of a compare run\n\n` +
    `Run 'tfjs-imbalanced compare --help' for its options. --version prints the version.\n`;
}

/** Splits `--key=value` and `--key value` forms into option names and values. */
function tokens(argv: string[], specs: OptionSpec[], command: string): {values: Map<string, string[]>; positional: string[]} {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      values.set('help', ['true']);
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.find(o => o.name === name);
    if (!spec) {
      const near = closestName(name, specs.map(o => o.name));
      throw new UsageError(`unknown option --${name} for ${command}${near ? ` (did you mean --${near}?)` : ''}. ${HELP_HINT.replace('compare', command)}`);
    }
    let value: string;
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      value = 'true';
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) throw new UsageError(`--${name} needs a value (${spec.value})`);
      value = argv[++i];
    }
    if (values.has(name) && name !== 'set') throw new UsageError(`--${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return {values, positional};
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

function num(name: string, v: string, min: number, max = Infinity, openMin = false): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (openMin && n === min)) {
    throw new UsageError(`--${name}: expected a number ${openMin ? '>' : '>='} ${min}${max < Infinity ? ` and <= ${max}` : ''}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function list(v: string): string[] {
  return v.split(',').map(s => s.trim()).filter(s => s !== '');
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** A `--set` value: JSON when it parses (numbers, booleans, arrays), else the string itself. */
function setValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function parseSet(entries: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of entries) {
    const m = /^([A-Za-z]+)\.([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(e);
    if (!m) throw new UsageError(`--set: expected METHOD.OPTION=VALUE (e.g. focal.gamma=1), got ${JSON.stringify(e)}`);
    (out[m[1]] ??= {})[m[2]] = setValue(m[3]);
  }
  return out;
}

function parseCompare(argv: string[]): CompareArgs | {command: 'help'; topic: string} {
  const {values, positional} = tokens(argv, COMPARE_OPTIONS, 'compare');
  if (values.has('help')) return {command: 'help', topic: 'compare'};
  if (positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}. ${HELP_HINT}`);
  const get = (name: string) => values.get(name)?.[0];
  if (get('data') !== undefined && get('dataset') !== undefined) throw new UsageError('give --data or --dataset, not both');
  for (const name of ['label', 'labels', 'delimiter', 'ignore']) {
    if (get(name) !== undefined && get('data') === undefined) throw new UsageError(`--${name} applies to --data only`);
  }
  const splitParts = get('split') !== undefined ? list(get('split')!) : ['0.2', '0.2'];
  if (splitParts.length !== 2) throw new UsageError(`--split: expected two fractions V,T (validation, test), got ${JSON.stringify(get('split'))}`);
  const split = {validation: num('split', splitParts[0], 0, 1), test: num('split', splitParts[1], 0, 1, true)};
  if (split.validation + split.test >= 1) throw new UsageError(`--split: validation + test must be below 1 (the rest trains), got ${splitParts.join(' + ')}`);
  const thresholdText = get('threshold') ?? '0.5';
  const monitorText = get('monitor');
  const patienceText = get('patience') ?? '10';
  const delimiterText = get('delimiter') ?? ',';
  const delimiter = delimiterText === 'tab' || delimiterText === '\\t' ? '\t' : delimiterText;
  if (delimiter.length !== 1) throw new UsageError(`--delimiter: expected one character (or 'tab'), got ${JSON.stringify(delimiterText)}`);
  const methods = get('methods') !== undefined ? list(get('methods')!) : undefined;
  if (methods !== undefined && methods.length === 0) throw new UsageError('--methods: expected at least one method');
  const metrics = get('metrics') !== undefined ? list(get('metrics')!) : undefined;
  if (metrics !== undefined && metrics.length === 0) throw new UsageError('--metrics: expected at least one metric');
  const dataset = get('dataset');
  if (dataset !== undefined) oneOf('dataset', dataset, DATASETS);
  return {
    command: 'compare',
    data: get('data'),
    label: get('label') ?? 'class',
    labels: oneOf('labels', get('labels') ?? 'sorted', ['sorted', 'appearance', 'index'] as const),
    delimiter,
    ignore: get('ignore') !== undefined ? list(get('ignore')!) : [],
    positive: get('positive'),
    dataset,
    methods,
    set: parseSet(values.get('set') ?? []),
    epochs: list(get('epochs') ?? '30').map(v => int('epochs', v, 1)),
    batchSize: int('batch-size', get('batch-size') ?? '64', 1),
    hidden: list(get('hidden') ?? '64,32').map(v => int('hidden', v, 1)),
    lr: num('lr', get('lr') ?? '0.001', 0, Infinity, true),
    repeats: int('repeats', get('repeats') ?? '3', 1),
    seed: int('seed', get('seed') ?? '0', 0),
    split,
    backend: get('backend') !== undefined ? oneOf('backend', get('backend')!, AUTO_ORDER) : undefined,
    threshold: thresholdText === 'tuned' ? 'tuned' : num('threshold', thresholdText, 0, 1),
    thresholdMetric: oneOf<ThresholdMetric>('threshold-metric', get('threshold-metric') ?? 'gmean', ['gmean', 'balancedAccuracy', 'macroF1', 'f1']),
    temperatureScale: values.has('temperature-scale'),
    monitor: monitorText === 'none' ? null : monitorText ?? (split.validation > 0 ? 'val_gmean' : null),
    patience: patienceText === 'none' ? Infinity : int('patience', patienceText, 1),
    metrics,
    costs: get('costs'),
    bins: int('bins', get('bins') ?? '15', 1),
    json: get('json'),
    out: get('out'),
    saveModels: get('save-models'),
    quiet: values.has('quiet'),
  };
}

function parseRender(argv: string[]): RenderArgs | {command: 'help'; topic: string} {
  const {values, positional} = tokens(argv, RENDER_OPTIONS, 'render');
  if (values.has('help')) return {command: 'help', topic: 'render'};
  if (positional.length !== 1) throw new UsageError(`render: expected one RESULTS.json file, got ${positional.length}. Run 'tfjs-imbalanced render --help'.`);
  return {command: 'render', input: positional[0], out: values.get('out')?.[0], markdown: values.get('markdown')?.[0]};
}

/** Parses the arguments after the program name. Throws UsageError. */
export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return {command: 'help', topic: rest[0]};
  if (command === '--version' || command === '-v') return {command: 'version'};
  if (command === 'compare') return parseCompare(rest);
  if (command === 'render') return parseRender(rest);
  throw new UsageError(`unknown command ${JSON.stringify(command)}: expected compare or render. Run 'tfjs-imbalanced --help'.`);
}
