// ES-module consumer: import the packed package next to @tensorflow/tfjs.
import * as tf from '@tensorflow/tfjs';
import * as imb from 'tfjs-imbalanced';
import * as imbNode from 'tfjs-imbalanced/node';
import * as losses from 'tfjs-imbalanced/losses';
import runModule from './run.cjs';

await runModule.run(tf, imb, imbNode, losses, 'import');
