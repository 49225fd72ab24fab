import * as tf from '@tensorflow/tfjs';
import {AUTO_ORDER, init} from '../src/backend';

const missing = (pkg: string): never => {
  throw new Error(`Cannot find module '${pkg}'`);
};

describe('backend.init', () => {
  afterEach(async () => {
    await tf.setBackend('cpu');
  });

  // The first three run in order while the wasm backend is not yet registered in this test file's module registry.
  it('falls back to cpu when no optional backend package is installed, saying why each choice was skipped', async () => {
    const log: string[] = [];
    const picked = await init(undefined, {load: missing, log: m => log.push(m)});
    expect(picked).toEqual({
      choice: 'cpu',
      backend: 'cpu',
      source: 'registered',
      skipped: [
        {choice: 'node-gpu', reason: "Cannot find module '@tensorflow/tfjs-node-gpu'"},
        {choice: 'node', reason: "Cannot find module '@tensorflow/tfjs-node'"},
        {choice: 'wasm', reason: "Cannot find module '@tensorflow/tfjs-backend-wasm'"},
        {choice: 'webgl', reason: "backend 'webgl' is not registered (webgl needs a browser and its tfjs backend imported)"},
        {choice: 'webgpu', reason: "backend 'webgpu' is not registered (webgpu needs a browser and its tfjs backend imported)"},
      ],
    });
    expect(log[0]).toBe("node-gpu: Cannot find module '@tensorflow/tfjs-node-gpu'");
  });

  it('never loads where there is no loader (a browser): an unregistered wasm is skipped with a hint', async () => {
    const doc = (globalThis as {document?: unknown}).document;
    (globalThis as {document?: unknown}).document = {};
    try {
      const picked = await init();
      expect(picked.choice).toBe('cpu');
      expect(picked.skipped.find(s => s.choice === 'wasm')?.reason).toMatch(/in a browser, import '@tensorflow\/tfjs-backend-wasm' in your app/);
      await expect(init('wasm')).rejects.toThrow(/backend 'wasm' is not available.*import it in your app/);
    } finally {
      (globalThis as {document?: unknown}).document = doc;
    }
  });

  it('loads an installed optional package in Node when none is registered (past missing node bindings, to wasm)', async () => {
    const tried: string[] = [];
    const load = (pkg: string) => {
      tried.push(pkg);
      return pkg.startsWith('@tensorflow/tfjs-node') ? missing(pkg) : require(pkg);
    };
    const picked = await init(undefined, {load});
    expect(picked.choice).toBe('wasm');
    expect(picked.source).toBe('loaded');
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a registered backend wins over loading a package, and nothing is loaded for it', async () => {
    require('@tensorflow/tfjs-backend-wasm'); // the app imported it
    const tried: string[] = [];
    const picked = await init(undefined, {load: pkg => { tried.push(pkg); return missing(pkg); }});
    expect(picked).toMatchObject({choice: 'wasm', backend: 'wasm', source: 'registered'});
    expect(tried).toEqual([]);
    // The faster choices it did not load are reported, in order, with the reason.
    expect(picked.skipped.map(s => s.choice)).toEqual(['node-gpu', 'node']);
    expect(picked.skipped[1].reason).toBe("backend 'tensorflow' is not registered, and a registered backend ('wasm') is used before loading any package");
    // init('wasm') with the backend registered never calls a loader either (the browser case: there is no require).
    const explicit = await init('wasm', {load: pkg => { tried.push(pkg); return missing(pkg); }});
    expect(explicit.source).toBe('registered');
    expect(tried).toEqual([]);
  });

  it('uses a dynamic import by default: a missing tfjs-node gives a clear error', async () => {
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    if (installed) expect((await init('node')).backend).toBe('tensorflow');
    else await expect(init('node')).rejects.toThrow(/backend 'node' is not available.*npm i @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown choice and honours an explicit cpu', async () => {
    await expect(init('bogus' as never)).rejects.toThrow(/preferred: expected one of 'node-gpu'/);
    expect((await init('cpu')).backend).toBe('cpu');
    expect(AUTO_ORDER).toEqual(['node-gpu', 'node', 'wasm', 'webgl', 'webgpu', 'cpu']);
  });
});
