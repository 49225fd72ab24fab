/**
 * Backend selection. The library itself is backend-agnostic; `init()` just
 * picks the fastest backend that is installed:
 *
 *   node-gpu (@tensorflow/tfjs-node-gpu) > node (@tensorflow/tfjs-node)
 *     > wasm (@tensorflow/tfjs-backend-wasm) > webgl (browser) > cpu
 *
 * The node bindings are optional: their install script downloads libtensorflow
 * from storage.googleapis.com, so they only work where that host is reachable.
 * Install one yourself (`npm i @tensorflow/tfjs-node`) and `init()` will use it.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from './errors';
import {checkKeys} from './core/validate';

/** The choices `init` understands, fastest first. */
export type BackendChoice = 'node-gpu' | 'node' | 'wasm' | 'webgl' | 'cpu';
/** Every {@link BackendChoice}, in the order `init` tries them. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['node-gpu', 'node', 'wasm', 'webgl', 'cpu'];

/** Which optional package provides each choice, and the tfjs backend name it registers. */
const PROVIDERS: Record<BackendChoice, {pkg: string | null; name: string}> = {
  'node-gpu': {pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow'},
  node: {pkg: '@tensorflow/tfjs-node', name: 'tensorflow'},
  wasm: {pkg: '@tensorflow/tfjs-backend-wasm', name: 'wasm'},
  webgl: {pkg: null, name: 'webgl'},
  cpu: {pkg: null, name: 'cpu'},
};

export interface InitOptions {
  /** Loads an optional package by name; defaults to `require`. Tests and bundlers can swap it. */
  load?: (pkg: string) => unknown;
  /** Receives one line per candidate that could not be used. Default: silent. */
  log?: (message: string) => void;
}

function defaultLoad(pkg: string): unknown {
  // A plain `require` that bundlers do not try to resolve at build time.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const req = typeof module !== 'undefined' && typeof module.require === 'function'
    ? (name: string) => module.require(name)
    : (Function('return typeof require === "function" ? require : null')() as ((name: string) => unknown) | null);
  if (!req) throw new Error('require is not available in this environment');
  return req(pkg);
}

async function tryBackend(choice: BackendChoice, load: (pkg: string) => unknown): Promise<string | null> {
  const {pkg, name} = PROVIDERS[choice];
  if (choice === 'webgl' && typeof document === 'undefined') return 'WebGL needs a browser';
  if (pkg !== null) load(pkg); // registers the backend with tfjs-core as a side effect
  if (tf.findBackendFactory(name) == null) return `backend '${name}' is not registered`;
  const ok = await tf.setBackend(name);
  if (!ok) return `tf.setBackend('${name}') failed`;
  await tf.ready();
  return null;
}

/**
 * Selects and initialises a backend; returns the tfjs backend name in use
 * (`'tensorflow'`, `'wasm'`, `'webgl'` or `'cpu'`). With `preferred`, only
 * that choice is tried and an Error explains why it is unavailable; without
 * it, the fastest available one wins.
 */
export async function init(preferred?: BackendChoice, options: InitOptions = {}): Promise<string> {
  checkKeys('backend.init', options, ['load', 'log']);
  const load = options.load ?? defaultLoad;
  if (preferred !== undefined) {
    if (!BACKEND_CHOICES.includes(preferred)) {
      throw new ImbalancedInputError('preferred', `one of ${BACKEND_CHOICES.join(', ')}`, preferred);
    }
    let reason: string | null;
    try {
      reason = await tryBackend(preferred, load);
    } catch (e) {
      reason = (e as Error).message.split('\n')[0];
    }
    if (reason !== null) {
      const hint = PROVIDERS[preferred].pkg ? ` Install ${PROVIDERS[preferred].pkg} (npm i ${PROVIDERS[preferred].pkg}).` : '';
      throw new Error(`tfjs-imbalanced: backend '${preferred}' is not available: ${reason}.${hint}`);
    }
    return tf.getBackend();
  }
  for (const choice of BACKEND_CHOICES) {
    try {
      const reason = await tryBackend(choice, load);
      if (reason === null) return tf.getBackend();
      options.log?.(`${choice}: ${reason}`);
    } catch (e) {
      options.log?.(`${choice}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error('tfjs-imbalanced: no tfjs backend could be initialised (not even cpu); is @tensorflow/tfjs-backend-cpu installed?');
}
