import { seededRandom } from '@portrait/core';
import onnxProto from 'onnx-proto';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { linear } from './linear.ts';
import { DataType, GraphBuilder } from './onnx-graph.ts';
import { randomWeights } from './prng.ts';

// The collector's import and the eval run on onnxruntime-node, the shopper's browser on the WASM build.
const RUNTIMES = [ortNode as unknown as typeof ortWeb, ortWeb];

// One int8 linear layer, x[1, k] @ w[k, n], as the converter writes it for the encoder.
function int8Layer(w: Float32Array, k: number, n: number): { bytes: Uint8Array; output: string } {
  const g = new GraphBuilder();
  const x = g.input('x', DataType.FLOAT, [1, k]);
  const output = linear(g, x, { name: 'layer', w, k, n }, 'int8');
  g.output(output, DataType.FLOAT, [1, n]);
  return { bytes: g.encode('linear', 'one int8 linear layer'), output };
}

async function run(ort: typeof ortWeb, bytes: Uint8Array, output: string, x: Float32Array): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', x, [1, x.length]) });
  await session.release();
  return Array.from(out[output]?.data as Float32Array);
}

describe('int8 linear layer', () => {
  it('gives the fp32 product on Node (the collector import, the eval) and on the browser build alike', async () => {
    // Every activation quantizes to u8 255 and every weight to 127: each pair of u8 x s8 products
    // sums to 64,770, past int16. onnxruntime's u8s8 kernel on x86 without VNNI (AVX2) adds such
    // pairs with saturation: this layer gave 32.4 instead of 64 there, and the whole encoder
    // 0.98 mean cosine to the TF.js original instead of 0.999.
    const k = 64;
    const n = 3;
    const { bytes, output } = int8Layer(new Float32Array(k * n).fill(1), k, n);
    const x = new Float32Array(k).fill(1);
    for (const ort of RUNTIMES) {
      for (const y of await run(ort, bytes, output, x)) expect(y).toBeCloseTo(64, 3);
    }
  });

  it('matches fp32 on random weights within the quantization error, on both runtimes', async () => {
    const k = 128;
    const n = 16;
    const rand = seededRandom(7);
    const w = randomWeights(rand, k * n, 1);
    const x = Float32Array.from({ length: k }, () => rand());
    const exact = Array.from({ length: n }, (_, c) => x.reduce((s, xi, r) => s + xi * (w[r * n + c] as number), 0));
    const { bytes, output } = int8Layer(w, k, n);
    for (const ort of RUNTIMES) {
      const y = await run(ort, bytes, output, x);
      // int8 weights and u8 activations: about 1 % of the layer's scale.
      for (const [c, v] of y.entries()) expect(Math.abs(v - (exact[c] as number))).toBeLessThan(0.1);
    }
  });

  it('stores the weights as uint8 around zero point 128, the same values as the symmetric int8', () => {
    const { bytes } = int8Layer(Float32Array.from([0.5, -1, 0.25, 1]), 2, 2);
    const init = onnxProto.onnx.ModelProto.decode(bytes).graph?.initializer ?? [];
    const weights = init.find((t) => t.name === 'layer.weight_q');
    const zero = init.find((t) => t.name === 'layer.weight_zero_point');
    expect(weights?.dataType).toBe(DataType.UINT8);
    expect(zero?.dataType).toBe(DataType.UINT8);
    // Per column, symmetric: column 0 has max 0.5 (0.5 -> 127, 0.25 -> 64), column 1 max 1.
    expect(Array.from(weights?.rawData ?? []).map((v) => v - 128)).toEqual([127, -127, 64, 127]);
    expect(Array.from(zero?.rawData ?? [])).toEqual([128, 128]);
  });
});
