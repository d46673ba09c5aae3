import { attr, DataType, type GraphBuilder } from './onnx-graph.ts';
import { quantizePerColumn } from './quantize.ts';

/** fp32 keeps MatMul; int8 emits the dynamic-quantization pattern onnxruntime fuses. */
export type Precision = 'fp32' | 'int8';

export interface LinearWeights {
  readonly name: string;
  readonly w: Float32Array;
  readonly k: number;
  readonly n: number;
  readonly bias?: Float32Array;
}

/**
 * x[..., k] @ w[k, n] + bias. The int8 form is DynamicQuantizeLinear (uint8
 * activations) -> MatMulInteger (per-column weights) -> Cast -> Mul(scale),
 * the same node pattern onnxruntime's quantize_dynamic writes, which its graph
 * optimizer fuses into one MatMulIntegerToFloat kernel.
 */
export function linear(g: GraphBuilder, x: string, p: LinearWeights, precision: Precision): string {
  let y: string;
  if (precision === 'fp32') {
    y = g.op1('MatMul', [x, g.init(`${p.name}.weight`, [p.k, p.n], p.w)]);
  } else {
    const { q, scales } = quantizePerColumn(p.w, p.k, p.n);
    // The weights travel as uint8 with zero point 128 (the same values as the symmetric int8):
    // onnxruntime's u8s8 kernel on x86 without VNNI (AVX2) sums pairs of u8 x s8 products in
    // int16 and saturates, which cost the encoder 0.02 of mean cosine; its u8u8 kernel does not.
    const wq = g.init(
      `${p.name}.weight_q`,
      [p.k, p.n],
      Uint8Array.from(q, (v) => v + 128),
    );
    const wScale = g.init(`${p.name}.weight_scale`, [p.n], scales);
    const wZero = g.init(`${p.name}.weight_zero_point`, [p.n], new Uint8Array(p.n).fill(128));
    const [xq, xScale, xZero] = g.op('DynamicQuantizeLinear', [x], [], 3) as [string, string, string];
    const acc = g.op1('MatMulInteger', [xq, wq, xZero, wZero]);
    const scale = g.op1('Mul', [xScale, wScale]);
    y = g.op1('Mul', [g.op1('Cast', [acc], [attr.int('to', DataType.FLOAT)]), scale]);
  }
  return p.bias ? g.op1('Add', [y, g.init(`${p.name}.bias`, [p.n], p.bias)]) : y;
}
