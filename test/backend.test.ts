import * as tf from '@tensorflow/tfjs';
import {init} from '../src/backend';

const missing = (pkg: string): never => {
  throw new Error(`Cannot find module '${pkg}'`);
};

describe('backend.init', () => {
  afterEach(async () => {
    await tf.setBackend('cpu');
  });

  // Runs first, while the wasm backend is not registered in this test file's module registry.
  it('falls back to cpu when no optional backend package is installed', async () => {
    const log: string[] = [];
    expect(await init(undefined, {load: missing, log: m => log.push(m)})).toBe('cpu');
    expect(log).toEqual([
      "node-gpu: Cannot find module '@tensorflow/tfjs-node-gpu'",
      "node: Cannot find module '@tensorflow/tfjs-node'",
      "wasm: Cannot find module '@tensorflow/tfjs-backend-wasm'",
      'webgl: WebGL needs a browser',
    ]);
  });

  it('falls back past missing node bindings to wasm', async () => {
    const tried: string[] = [];
    const load = (pkg: string) => {
      tried.push(pkg);
      return pkg.startsWith('@tensorflow/tfjs-node') ? missing(pkg) : require(pkg);
    };
    expect(await init(undefined, {load})).toBe('wasm');
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('uses the real require by default: a missing tfjs-node gives a clear error', async () => {
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    if (installed) expect(await init('node')).toBe('tensorflow');
    else await expect(init('node')).rejects.toThrow(/backend 'node' is not available.*npm i @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown choice and honours an explicit cpu', async () => {
    await expect(init('bogus' as never)).rejects.toThrow(/preferred: expected one of/);
    expect(await init('cpu')).toBe('cpu');
  });
});
