/**
 * Node only: a tfjs IOHandler that stores a model as `model.json` +
 * `weights.bin` in a directory (the layout of tfjs-node's `file://` handler
 * and of the tfjs converter), for when `@tensorflow/tfjs-node` is not
 * installed. {@link registerFileSystemRouter} makes `file://` URLs reach it,
 * so `model.save('file://dir')`, `tf.loadLayersModel('file://dir/model.json')`,
 * `io.save(model, 'file://dir')` and `io.load('file://dir')` work.
 */
import {promises as fs} from 'fs';
import * as path from 'path';
import {io} from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';

/** The topology + manifest file name. */
export const MODEL_JSON = 'model.json';
/** The weight file name. */
export const WEIGHTS_BIN = 'weights.bin';

/**
 * An IOHandler reading and writing `model.json` and `weights.bin`. `location`
 * is a directory (created on save if missing), or the path of a `.json` file
 * (its directory holds the weights; tfjs-node's convention for loading).
 * Loading reads every weight file the manifest lists, so converter output
 * with sharded weights loads too.
 */
export function fileSystem(location: string): io.IOHandler {
  if (typeof location !== 'string' || location.length === 0) {
    throw new ImbalancedInputError('location', 'a directory or a path ending in .json', location);
  }
  const jsonPath = location.endsWith('.json') ? location : path.join(location, MODEL_JSON);
  const directory = path.dirname(jsonPath);
  return {
    save: async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new ImbalancedInputError('modelTopology', 'a JSON topology (a LayersModel or graph model)', 'a binary topology');
      }
      await fs.mkdir(directory, {recursive: true});
      const weightsManifest: io.WeightsManifestConfig = [{paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? []}];
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : io.CompositeArrayBuffer.join(artifacts.weightData);
      await fs.writeFile(path.join(directory, WEIGHTS_BIN), new Uint8Array(weightData));
      await fs.writeFile(jsonPath, JSON.stringify(modelJson(artifacts, weightsManifest)));
      return {modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts)};
    },
    load: async (): Promise<io.ModelArtifacts> => {
      let json: io.ModelJSON;
      try {
        json = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
      } catch (e) {
        throw new ImbalancedInputError('location', `a directory holding ${MODEL_JSON}, or the path of a model JSON file`, `${jsonPath} (${(e as Error).message})`);
      }
      return io.getModelArtifactsForJSON(json, async manifest => {
        const specs = manifest.flatMap(group => group.weights);
        const files = manifest.flatMap(group => group.paths.map(p => path.join(directory, p)));
        const buffers = await Promise.all(files.map(async f => toArrayBuffer(await fs.readFile(f))));
        return [specs, io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** The model.json tfjs writes: every artifact field but the weights, plus the manifest. */
function modelJson(artifacts: io.ModelArtifacts, weightsManifest: io.WeightsManifestConfig): io.ModelJSON {
  const json: io.ModelJSON = {modelTopology: artifacts.modelTopology as {}, weightsManifest};
  const optional = ['format', 'generatedBy', 'convertedBy', 'trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const;
  optional.forEach(key => {
    if (artifacts[key] !== undefined && artifacts[key] !== null) (json as unknown as Record<string, unknown>)[key] = artifacts[key];
  });
  return json;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const SCHEME = 'file://';
let registered = false;

/**
 * Routes `file://` URLs (save and load) to {@link fileSystem}. Idempotent; does
 * nothing when another handler already claims `file://` (tfjs-node registers
 * its own), so each URL keeps exactly one handler.
 */
export function registerFileSystemRouter(): void {
  if (registered || io.getSaveHandlers(`${SCHEME}probe`).length > 0) return;
  // A router returns null for URLs it does not claim (tfjs' own routers do; its type says IOHandler).
  const router = ((url: string | string[]): io.IOHandler | null =>
    typeof url === 'string' && url.startsWith(SCHEME) ? fileSystem(url.slice(SCHEME.length)) : null) as Parameters<typeof io.registerSaveRouter>[0];
  io.registerSaveRouter(router);
  io.registerLoadRouter(router);
  registered = true;
}
