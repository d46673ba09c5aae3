import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A tensor read from a TF.js weight shard, in row-major order. */
export interface TfjsTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

interface ModelJson {
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/**
 * Reads every weight of a TF.js graph model by name. The shards of one group are
 * one concatenated byte stream, weights laid out back to back in manifest order.
 */
export async function readTfjsWeights(modelDir: string): Promise<Map<string, TfjsTensor>> {
  const model = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as ModelJson;
  const out = new Map<string, TfjsTensor>();
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(modelDir, p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const slice = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4);
      const data = spec.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
      out.set(spec.name, { name: spec.name, shape: spec.shape, data });
      offset += count * 4;
    }
    if (offset !== bytes.length) {
      throw new Error(`weight group size mismatch: read ${offset} of ${bytes.length} bytes`);
    }
  }
  return out;
}
