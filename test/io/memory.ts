/** Test helpers for io: save into memory (through JSON, like a real file) and load back. */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';

/** Artifacts as a storage would return them: JSON parts through JSON.stringify / parse, weights copied. */
export function throughJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const {weightData, ...json} = artifacts;
  const copy = JSON.parse(JSON.stringify(json)) as tf.io.ModelArtifacts;
  if (weightData !== undefined) copy.weightData = tf.io.CompositeArrayBuffer.join(weightData).slice(0);
  return copy;
}

/** A save handler that keeps what it is given (through JSON); `artifacts()` returns it. */
export function memorySink(): {handler: tf.io.IOHandler; artifacts(): tf.io.ModelArtifacts; calls(): number} {
  let stored: tf.io.ModelArtifacts | null = null;
  let calls = 0;
  const handler = tf.io.withSaveHandler(async a => {
    calls += 1;
    stored = throughJson(a);
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a)};
  });
  return {
    handler,
    artifacts: () => {
      if (stored === null) throw new Error('nothing saved');
      return stored;
    },
    calls: () => calls,
  };
}

/** imb.io.save into memory, then the artifacts. */
export async function saveToMemory(model: tf.LayersModel, options?: imb.io.SaveOptions): Promise<tf.io.ModelArtifacts> {
  const sink = memorySink();
  await imb.io.save(model, sink.handler, options);
  return sink.artifacts();
}

/** Save then load through memory. */
export async function roundTrip(model: tf.LayersModel, saveOptions?: imb.io.SaveOptions, loadOptions?: imb.io.LoadOptions): Promise<tf.LayersModel> {
  return imb.io.load(tf.io.fromMemory(await saveToMemory(model, saveOptions)), loadOptions);
}

/** The metadata block of saved artifacts. */
export function block(artifacts: tf.io.ModelArtifacts): imb.io.SavedBlock {
  return (artifacts.userDefinedMetadata as Record<string, unknown>)[imb.io.METADATA_KEY] as imb.io.SavedBlock;
}
