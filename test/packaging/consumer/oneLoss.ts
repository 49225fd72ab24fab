// An app that needs one loss: the subpath entry lets the bundler drop the
// rest of the package (and the Dataset methods' side effect).
import * as tf from '@tensorflow/tfjs';
import {dwb} from 'tfjs-imbalanced/losses';

export const model = tf.sequential({layers: [tf.layers.dense({inputShape: [4], units: 2, activation: 'softmax'})]});
model.compile({optimizer: 'adam', loss: dwb({classCounts: [90, 10]})});
