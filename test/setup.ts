// Every test runs on the pure-JS `cpu` backend: deterministic and available everywhere.
import * as tf from '@tensorflow/tfjs';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  // Silence the one-time "install tfjs-node" banner (it cannot be installed here).
  (tf.backend() as unknown as {firstUse: boolean}).firstUse = false;
});
