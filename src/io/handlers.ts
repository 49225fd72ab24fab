/**
 * Turns the `destination` of `io.save` / the `source` of `io.load` into a tfjs
 * IOHandler: an object with `save` / `load` as is, a URL string through the
 * schemes tfjs has registered (`indexeddb://`, `localstorage://`,
 * `downloads://` in a browser, `http(s)://` everywhere, `file://` in Node once
 * `tfjs-imbalanced/node` is imported).
 */
import {io} from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';

const SCHEMES =
  'a URL with a registered scheme (indexeddb://, localstorage://, downloads:// in a browser; http(s)://; ' +
  'file:// in Node after importing tfjs-imbalanced/node)';

/** An IOHandler that has `save`. */
export type SavingHandler = io.IOHandler & {save: io.SaveHandler};
/** An IOHandler that has `load`. */
export type LoadingHandler = io.IOHandler & {load: io.LoadHandler};

/** The IOHandler to save through. */
export function saveHandler(destination: unknown): SavingHandler {
  if (typeof destination === 'string') return single(io.getSaveHandlers(destination), 'destination', destination) as SavingHandler;
  if (isHandler(destination, 'save')) return destination;
  throw new ImbalancedInputError('destination', `${SCHEMES}, or a tf.io.IOHandler with a save() method`, destination);
}

/** The IOHandler to load from. */
export function loadHandler(source: unknown): LoadingHandler {
  if (typeof source === 'string') return single(io.getLoadHandlers(source), 'source', source) as LoadingHandler;
  if (isHandler(source, 'load')) return source;
  throw new ImbalancedInputError('source', `${SCHEMES}, or a tf.io.IOHandler with a load() method`, source);
}

function isHandler<M extends 'save' | 'load'>(x: unknown, method: M): x is io.IOHandler & Required<Pick<io.IOHandler, M>> {
  return typeof x === 'object' && x !== null && typeof (x as Record<string, unknown>)[method] === 'function';
}

function single(handlers: io.IOHandler[], parameter: string, url: string): io.IOHandler {
  if (handlers.length === 1) return handlers[0];
  if (handlers.length === 0) throw new ImbalancedInputError(parameter, SCHEMES, url);
  throw new ImbalancedInputError(parameter, `a URL exactly one IOHandler claims (${handlers.length} claim it: two file:// routers registered?)`, url);
}
