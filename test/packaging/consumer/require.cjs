// CommonJS consumer: require() the packed package next to @tensorflow/tfjs.
const tf = require('@tensorflow/tfjs');
const imb = require('tfjs-imbalanced');
const imbNode = require('tfjs-imbalanced/node');
const losses = require('tfjs-imbalanced/losses');
const {run} = require('./run.cjs');

run(tf, imb, imbNode, losses, 'require').catch(e => {
  console.error(e);
  process.exit(1);
});
