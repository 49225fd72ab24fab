/**
 * Reproductions of the five papers' headline experiments, run with this
 * package (docs/reproductions.md); each preset is a configuration of the
 * comparison engine (`imb.compare.run`):
 *
 *   npm run repro -- <name> [--quick] [--backend wasm|cpu] [--out DIR] [--<option> value ...]
 *   npm run repro -- list
 *
 * Each preset prints its tables (Markdown) and writes `<name>.json` (settings,
 * per-repeat numbers, wall time) and `<name>.md` to --out (default
 * docs/reproductions/; a --quick run writes to the OS temp directory unless --out
 * is given). Not part of `npm test`: full runs take minutes to an hour on 2 cores.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {Preset, ReproContext, ROOT} from './lib';
import {remixTable2} from './remix-table2';
import {crcenTable3} from './crcen-table3';
import {rwwceTable1} from './rwwce-table1';
import {dwbShuttle} from './dwb-shuttle';
import {cslLt} from './csl-lt';

export const PRESETS: Preset[] = [remixTable2, crcenTable3, rwwceTable1, dwbShuttle, cslLt];

/** Parsed command line. */
export interface ReproArgs {
  name: string;
  quick: boolean;
  backend: string;
  out: string | null;
  options: Map<string, string>;
}

export function parseArgs(argv: string[]): ReproArgs {
  const [name, ...rest] = argv;
  const args: ReproArgs = {name: name ?? 'list', quick: false, backend: 'wasm', out: null, options: new Map()};
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    if (key === '--quick') args.quick = true;
    else if (key.startsWith('--') && i + 1 < rest.length) {
      const value = rest[++i];
      if (key === '--backend') args.backend = value;
      else if (key === '--out') args.out = value;
      else args.options.set(key.slice(2), value);
    } else throw new Error(`unexpected argument ${JSON.stringify(key)} (options are --name value pairs, plus --quick)`);
  }
  return args;
}

/** Runs one preset and writes its record; returns the record. */
export async function runPreset(args: ReproArgs, log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const preset = PRESETS.find(p => p.name === args.name);
  if (!preset) throw new Error(`unknown reproduction ${JSON.stringify(args.name)}; one of: ${PRESETS.map(p => p.name).join(', ')}`);
  await tf.setBackend(args.backend);
  await tf.ready();
  const command = ['npm run repro --', args.name, ...(args.quick ? ['--quick'] : []),
    ...(args.backend !== 'wasm' ? ['--backend', args.backend] : []),
    ...Array.from(args.options).flatMap(([k, v]) => [`--${k}`, v])].join(' ');
  log(`# ${preset.title}\n\n${command} (backend ${tf.getBackend()})\n`);
  const started = new Date();
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const loadBefore = os.loadavg()[0];
  const out = await preset.run(new ReproContext(args.quick, args.options, log));
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const load = [loadBefore, os.loadavg()[0]].map(v => v.toFixed(1)).join(' -> ');
  const minutes = (seconds / 60).toFixed(1);
  // Wall time depends on what else runs on the machine; the process's CPU time much less so.
  const footer = `\nCommand: \`${command}\`; backend ${tf.getBackend()}; wall time ${minutes} min, CPU time ${(cpuSeconds / 60).toFixed(1)} min ` +
    `(${started.toISOString().slice(0, 16)}Z, ${os.cpus().length} cores, load average ${load}).`;
  log(`\n${out.markdown}\n${footer}`);
  const record = {
    name: preset.name, title: preset.title, command, quick: args.quick, backend: tf.getBackend(), tfjs: tf.version.tfjs,
    startedAt: started.toISOString(), seconds, cpuSeconds, loadAverage: load, settings: out.settings, options: Object.fromEntries(args.options), results: out.results,
  };
  const dir = args.out ?? (args.quick ? path.join(os.tmpdir(), 'tfjs-imbalanced-repro') : path.join(ROOT, 'docs', 'reproductions'));
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, `${preset.name}.json`), `${JSON.stringify(record, null, 1)}\n`);
  fs.writeFileSync(path.join(dir, `${preset.name}.md`), `# ${preset.title}\n\n${out.markdown}\n${footer}\n`);
  log(`wrote ${path.join(dir, `${preset.name}.json`)} and .md`);
  return record;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.name === 'list') {
    for (const p of PRESETS) console.log(`${p.name.padEnd(14)} ${p.title}`);
    return;
  }
  await runPreset(args);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
