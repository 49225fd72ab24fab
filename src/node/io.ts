/**
 * Node: the main entry's `io` namespace plus a file-system IOHandler. Importing
 * this module (it comes with `tfjs-imbalanced/node`) routes `file://` URLs to
 * {@link fileSystem}, unless another handler (tfjs-node's) already claims them,
 * so `io.save(model, 'file://dir')` and `io.load('file://dir')` work without
 * tfjs-node.
 */
import {registerFileSystemRouter} from './fileSystem';

export * from '../io';
export {fileSystem, registerFileSystemRouter, MODEL_JSON, WEIGHTS_BIN} from './fileSystem';

registerFileSystemRouter();
