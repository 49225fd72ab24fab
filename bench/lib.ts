/**
 * Benchmark helpers. Benchmarks are not tests: they print ratios against a
 * baseline measured in the same process (or, for Python peers, in the same
 * run on the same data), never absolute pass/fail timings.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {execFileSync} from 'child_process';
import * as fs from 'fs';

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export async function medianMs(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Switches the global tfjs backend ('cpu' or 'wasm') and waits until it is ready. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
  const b = tf.backend() as unknown as {firstUse?: boolean};
  if ('firstUse' in b) b.firstUse = false;
}

/** A python3 that has scikit-learn and imbalanced-learn (Debian's), or null. */
export function findPython(): string | null {
  const candidates = [process.env.IMB_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import sklearn, imblearn'], {stdio: 'ignore'});
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Runs a Python peer script with JSON on argv[1]; it must print one JSON object on stdout. */
export function runPython<T>(script: string, args: unknown): T | null {
  const py = findPython();
  if (!py) return null;
  const out = execFileSync(py, [script, JSON.stringify(args)], {encoding: 'utf8', maxBuffer: 64 << 20});
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

/** Prints rows as a Markdown table (so it can be pasted into the README). */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v);
  console.log(`\n### ${title}\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.map(fmt).join(' | ')} |`);
}

/** Writes a temporary file and returns its path (for handing data to a Python peer). */
export function tempFile(name: string, data: Buffer | string): string {
  const dir = fs.mkdtempSync('/tmp/tfjs-imbalanced-bench-');
  const path = `${dir}/${name}`;
  fs.writeFileSync(path, data);
  return path;
}

/** The reference MLP of the benches: inputDim-128-64-numClasses, ReLU, softmax, seeded initialisers (uncompiled). */
export function referenceMlp(inputDim: number, numClasses: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 128, inputShape: [inputDim], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}));
  model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.add(tf.layers.dense({units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}));
  return model;
}
