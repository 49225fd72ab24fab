// Browser bundle of an app that imports the package only for the Dataset
// methods: the bundler must keep data/datasetMethods (package.json sideEffects).
import * as tf from '@tensorflow/tfjs';
import 'tfjs-imbalanced';

export const remixed = tf.data.zip({xs: tf.data.array([[0], [1]]), ys: tf.data.array([0, 1])}).remix({batchSize: 2, numClasses: 2});
