/**
 * Worker threads for the wasm k-NN kernel (Node only). `knnThreads(n)` starts
 * n - 1 workers (the calling thread is the n-th) and plugs them into the
 * kernel: every exact k-NN search of the SMOTE family with more than ~16M
 * multiply-adds (e.g. a class of 1500 rows x 32 features) then splits its tiles
 * between the threads, which claim chunks of work from a shared counter (a
 * busy core only slows its own chunks). The caller blocks (Atomics.wait)
 * until every chunk is done, so `kNeighbors` / `smote` stay synchronous.
 * The workers are unref'd: they never keep the process alive.
 */
import * as os from 'os';
import {Worker} from 'worker_threads';
import {ImbalancedInputError} from '../errors';
import {checkNumber} from '../core/validate';
import {CTL, knnModule, setKnnExecutor} from '../data/knnWasm';
import type {KnnExecutor} from '../data/knnWasm';

/** Worker body: instantiate the kernel on the shared memory and claim chunks; a failure raises the error flag. */
const WORKER_SOURCE = `
const {parentPort} = require('worker_threads');
parentPort.on('message', ({module, memory, control, cfg}) => {
  try {
    new WebAssembly.Instance(module, {env: {memory}}).exports.run(control, cfg);
  } catch (e) {
    const view = new Int32Array(memory.buffer);
    Atomics.store(view, (control + ${CTL.error}) >> 2, 1);
    Atomics.notify(view, (control + ${CTL.done}) >> 2);
  }
});
`;

let pool: Worker[] = [];

/** The cores Node reports (os.availableParallelism where present). */
export function availableCores(): number {
  const o = os as {availableParallelism?: () => number};
  return o.availableParallelism ? o.availableParallelism() : os.cpus().length;
}

/**
 * Runs the wasm k-NN kernel on `threads` threads in total (default: every
 * core, `availableCores()`); `knnThreads(1)` stops the workers and returns to
 * the calling thread alone. Returns the number of threads now in use (1 where
 * shared WebAssembly memory is unavailable).
 */
export function knnThreads(threads: number = availableCores()): number {
  checkNumber('threads', threads, {min: 1, integer: true});
  for (const w of pool) void w.terminate();
  pool = [];
  setKnnExecutor(null);
  if (threads === 1) return 1;
  if (knnModule(true) === null) return 1;
  pool = Array.from({length: threads - 1}, () => {
    const w = new Worker(WORKER_SOURCE, {eval: true});
    w.unref();
    return w;
  });
  const executor: KnnExecutor = {
    workers: pool.length,
    start(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, cfgs: number[]): void {
      if (cfgs.length > pool.length) throw new ImbalancedInputError('cfgs', `at most ${pool.length} worker configurations`, cfgs.length);
      cfgs.forEach((cfg, w) => pool[w].postMessage({module, memory, control, cfg}));
    },
  };
  setKnnExecutor(executor);
  return threads;
}
