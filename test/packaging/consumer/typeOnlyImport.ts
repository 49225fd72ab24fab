// Uses the package only in type positions: TypeScript (and esbuild, ts-jest,
// Babel) drop such an import from the emitted code, so the Dataset methods
// are never installed. The side-effect import below the marker keeps them.
import * as tf from '@tensorflow/tfjs';
import * as imb from 'tfjs-imbalanced';
// SIDE-EFFECT-IMPORT

const options: imb.data.RemixOptions = {batchSize: 4, numClasses: 2, seed: 1};
const ds = tf.data.zip({xs: tf.data.array([[0], [1], [2], [3]]), ys: tf.data.array([0, 0, 0, 1])});
console.log(JSON.stringify({remixIsMethod: typeof (ds as {remix?: unknown}).remix === 'function', options}));
