/**
 * saveHandler / loadHandler (src/io/handlers.ts): what `io.save` and `io.load`
 * accept as destination / source. A handler object passes as is; a URL goes
 * through tfjs' routers and must be claimed by exactly one; anything else is
 * an ImbalancedInputError naming the parameter and the accepted forms.
 */
import * as tf from '@tensorflow/tfjs';
import {loadHandler, saveHandler} from '../../src/io/handlers';
import {inputError} from '../helpers';

describe('io handlers', () => {
  it('returns a handler object as is, if it has the method needed', () => {
    const saver = {save: async () => ({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON' as const}})};
    const loader = {load: async () => ({})};
    expect(saveHandler(saver)).toBe(saver);
    expect(loadHandler(loader)).toBe(loader);
    expect(inputError(() => saveHandler(loader)).parameter).toBe('destination');
    expect(inputError(() => loadHandler(saver)).parameter).toBe('source');
  });

  it('resolves a URL through the registered routers (http:// everywhere)', () => {
    expect(typeof saveHandler('http://127.0.0.1:9/upload').save).toBe('function');
    expect(typeof loadHandler('https://example.org/model.json').load).toBe('function');
  });

  it('rejects a URL no router claims, listing the schemes, and values that are neither', () => {
    // indexeddb:// and localstorage:// are registered in browsers only; file:// only after tfjs-imbalanced/node.
    for (const url of ['indexeddb://m', 'ftp://host/m', 'model.json']) {
      const e = inputError(() => loadHandler(url));
      expect(e.parameter).toBe('source');
      expect(e.message).toContain('a URL with a registered scheme (indexeddb://');
      expect(e.message).toContain(`got ${JSON.stringify(url)}`);
    }
    for (const bad of [undefined, null, 42, {}, {save: 'not a function'}]) {
      expect(inputError(() => saveHandler(bad)).message).toMatch(/^destination: expected a URL with a registered scheme .*, or a tf\.io\.IOHandler with a save\(\) method/);
    }
  });

  it('rejects a URL two routers claim', () => {
    // tfjs' routers return null for a URL they do not claim (its IORouter type says IOHandler).
    const router = ((url: string | string[]) => (typeof url === 'string' && url.startsWith('twice://') ? {save: async () => ({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON' as const}})} : null)) as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];
    tf.io.registerSaveRouter(router);
    tf.io.registerSaveRouter(router);
    expect(inputError(() => saveHandler('twice://m')).message).toMatch(/^destination: expected a URL exactly one IOHandler claims \(2 claim it/);
  });
});
