/**
 * The model artifacts (topology, weights, metadata) as tfjs produces them,
 * and the optimizer's variables appended the way tfjs appends them itself
 * (weight group `'optimizer'`, after the model weights), so that
 * `tf.loadLayersModel` reads the result as an ordinary model.
 */
import {Optimizer, Tensor, Variable, io} from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';

/**
 * What `model.save` would hand an IOHandler, without optimizer or training
 * config (tfjs refuses to write a training config for function losses).
 */
export async function modelArtifacts(model: LayersModel): Promise<io.ModelArtifacts> {
  let captured: io.ModelArtifacts | null = null;
  await model.save(io.withSaveHandler(async artifacts => {
    captured = artifacts;
    return {modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts)};
  }), {includeOptimizer: false});
  return captured as unknown as io.ModelArtifacts;
}

/** `artifacts` with the optimizer's variables (Adam's moments, the iteration count, ...) appended. */
export async function withOptimizerWeights(artifacts: io.ModelArtifacts, optimizer: Optimizer): Promise<io.ModelArtifacts> {
  const named = await optimizer.getWeights();
  try {
    const {data, specs} = await io.encodeWeights(named, 'optimizer');
    const modelData = artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData);
    return {
      ...artifacts,
      weightSpecs: [...(artifacts.weightSpecs ?? []), ...specs],
      weightData: io.CompositeArrayBuffer.join([...modelData, data]),
    };
  } finally {
    // getWeights() makes a fresh scalar for the iteration count; the rest are the optimizer's own variables.
    named.forEach(({tensor}: {tensor: Tensor}) => {
      if (!(tensor instanceof Variable)) tensor.dispose();
    });
  }
}
