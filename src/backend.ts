/**
 * Backend selection. The library itself is backend-agnostic; `init()` picks a
 * backend and says why it skipped the others.
 *
 * Rules:
 * 1. A backend the app already registered (by importing its package, e.g.
 *    `import '@tensorflow/tfjs-backend-wasm'`) is used as is: nothing is loaded.
 * 2. In Node, an optional package that is installed but not imported is loaded
 *    (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`,
 *    `@tensorflow/tfjs-backend-wasm`). In a browser nothing is ever loaded: a
 *    bundle has no `require`; import the backend package in your app instead.
 * 3. Without a preference, the first usable choice in {@link AUTO_ORDER} wins:
 *    native TensorFlow > wasm > webgl > webgpu > cpu. wasm comes before webgl
 *    because, on the small tabular MLPs this library is used with, it measured
 *    faster in Chromium (README, "Backends"); pass `'webgl'` for large models
 *    on a real GPU.
 *
 * The node bindings download libtensorflow when they install, so they only
 * work where that host is reachable; install one yourself
 * (`npm i @tensorflow/tfjs-node`) and `init()` will use it.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from './errors';
import {checkKeys, checkOneOf} from './core/validate';

/** The choices `init` understands. */
export type BackendChoice = 'node-gpu' | 'node' | 'wasm' | 'webgl' | 'webgpu' | 'cpu';
/** Every {@link BackendChoice}, in the order `init` tries them without a preference. */
export const AUTO_ORDER: readonly BackendChoice[] = ['node-gpu', 'node', 'wasm', 'webgl', 'webgpu', 'cpu'];
/** @deprecated Same as {@link AUTO_ORDER}. */
export const BACKEND_CHOICES = AUTO_ORDER;

/** Which optional package provides each choice, and the tfjs backend name it registers. */
const PROVIDERS: Record<BackendChoice, {pkg: string | null; name: string}> = {
  'node-gpu': {pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow'},
  node: {pkg: '@tensorflow/tfjs-node', name: 'tensorflow'},
  wasm: {pkg: '@tensorflow/tfjs-backend-wasm', name: 'wasm'},
  webgl: {pkg: null, name: 'webgl'},
  webgpu: {pkg: null, name: 'webgpu'},
  cpu: {pkg: null, name: 'cpu'},
};

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * Loads an optional package by name (Node only). Default: a dynamic
   * `import()`. Tests and unusual environments can swap it; give one in a
   * browser only if your environment can really load packages at run time.
   */
  load?: (pkg: string) => unknown;
  /** Receives one line per choice that could not be used. Default: silent. */
  log?: (message: string) => void;
}

/** A choice `init` skipped, and why. */
export interface SkippedBackend {
  /** The choice that was not used. */
  choice: BackendChoice;
  /** Why: what is missing, or the first line of the error it raised. */
  reason: string;
}

/** What {@link init} picked. */
export interface BackendSelection {
  /** The choice in use. */
  choice: BackendChoice;
  /** The tfjs backend name in use (`tf.getBackend()`): `'tensorflow'`, `'wasm'`, `'webgl'`, `'webgpu'` or `'cpu'`. */
  backend: string;
  /** `'registered'`: the app had registered it; `'loaded'`: `init` loaded its package. */
  source: 'registered' | 'loaded';
  /** The choices tried before it, each with the reason it was skipped. */
  skipped: SkippedBackend[];
}

/** True in Node (not in a browser or a web worker). */
function inNode(): boolean {
  const p = (globalThis as {process?: {versions?: {node?: string}}}).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as {document?: unknown}).document === 'undefined';
}

/** Node's dynamic import; bundlers are told not to follow it. */
function defaultLoad(pkg: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ pkg);
}

/** Makes backend `name` active; throws an Error whose first line says why it cannot be. */
async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Why `choice` cannot be loaded here, or null if its package can be tried. */
function whyNotLoadable(choice: BackendChoice, load: ((pkg: string) => unknown) | null): string | null {
  const {pkg, name} = PROVIDERS[choice];
  if (pkg !== null && load !== null) return null;
  if (pkg !== null) return `backend '${name}' is not registered (in a browser, import '${pkg}' in your app)`;
  if (choice === 'webgl' || choice === 'webgpu') return `backend '${name}' is not registered (${choice} needs a browser and its tfjs backend imported)`;
  return `backend '${name}' is not registered`;
}

/**
 * Selects and initialises a backend. With `preferred`, only that choice is
 * tried and an Error explains why it is unavailable. Without it: first the
 * backends already registered (in {@link AUTO_ORDER}, cpu last), then, in
 * Node, the optional packages that can be loaded, then cpu. Returns what was
 * picked, how, and why every choice before it was skipped.
 */
export async function init(preferred?: BackendChoice, options: InitOptions = {}): Promise<BackendSelection> {
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object {load?, log?}', options);
  checkKeys('backend.init', options, ['load', 'log']);
  const load = options.load ?? (inNode() ? defaultLoad : null);
  const skipped: SkippedBackend[] = [];
  const skip = (choice: BackendChoice, reason: string): void => {
    skipped.push({choice, reason});
    options.log?.(`${choice}: ${reason}`);
  };
  const tryChoice = async (choice: BackendChoice, loadFirst: boolean): Promise<BackendSelection> => {
    const {pkg, name} = PROVIDERS[choice];
    if (loadFirst) {
      await load!(pkg!); // registers the backend with tfjs-core as a side effect
      if (tf.findBackendFactory(name) == null) throw new Error(`loading ${pkg} did not register backend '${name}'`);
    }
    await activate(name);
    return {choice, backend: tf.getBackend(), source: loadFirst ? 'loaded' : 'registered', skipped};
  };


  if (preferred !== undefined) {
    const choice = checkOneOf('preferred', preferred, AUTO_ORDER);
    const registered = tf.findBackendFactory(PROVIDERS[choice].name) != null;
    try {
      if (!registered) {
        const why = whyNotLoadable(choice, load);
        if (why !== null) throw new Error(why);
      }
      return await tryChoice(choice, !registered);
    } catch (e) {
      const {pkg} = PROVIDERS[choice];
      const hint = pkg ? ` Install ${pkg} (npm i ${pkg})${inNode() ? '' : ' and import it in your app'}.` : '';
      throw new Error(`tfjs-imbalanced: backend '${choice}' is not available: ${firstLine(e)}.${hint}`);
    }
  }

  // 1. Registered by the app, fastest first (native TensorFlow registers as 'tensorflow' for both node choices).
  const pending: BackendChoice[] = [];
  for (const choice of AUTO_ORDER) {
    if (choice === 'cpu') continue;
    const {name} = PROVIDERS[choice];
    if (tf.findBackendFactory(name) == null) {
      pending.push(choice);
      continue;
    }
    if (choice === 'node-gpu') {
      skip(choice, "the registered 'tensorflow' backend is reported as 'node'");
      continue;
    }
    try {
      const picked = await tryChoice(choice, false);
      // The faster choices before it (all unregistered) were not loaded: a registered backend wins over loading.
      for (const earlier of pending) {
        skip(earlier, `backend '${PROVIDERS[earlier].name}' is not registered, and a registered backend ('${name}') is used before loading any package`);
      }
      skipped.sort((x, y) => AUTO_ORDER.indexOf(x.choice) - AUTO_ORDER.indexOf(y.choice));
      return picked;
    } catch (e) {
      skip(choice, firstLine(e));
    }
  }
  // 2. Optional packages that are installed but not imported (Node only).
  for (const choice of pending) {
    const why = whyNotLoadable(choice, load);
    if (why !== null) {
      skip(choice, why);
      continue;
    }
    try {
      return await tryChoice(choice, true);
    } catch (e) {
      skip(choice, firstLine(e));
    }
  }
  // 3. The pure-JS backend.
  try {
    return await tryChoice('cpu', false);
  } catch (e) {
    skip('cpu', firstLine(e));
  }
  throw new Error(
    `tfjs-imbalanced: no tfjs backend could be initialised (is @tensorflow/tfjs-backend-cpu imported?): ${
      skipped.map(s => `${s.choice}: ${s.reason}`).join('; ')}`,
  );
}
