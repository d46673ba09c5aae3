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
 * activations) -> MatMulInteger (int8 per-column weights) -> Cast -> Mul(scale),
 * the same node pattern onnxruntime's quantize_dynamic writes, which its graph
 * optimizer fuses into one MatMulIntegerToFloat kernel.
 */
export function linear(g: GraphBuilder, x: string, p: LinearWeights, precision: Precision): string {
  let y: string;
  if (precision === 'fp32') {
    y = g.op1('MatMul', [x, g.init(`${p.name}.weight`, [p.k, p.n], p.w)]);
  } else {
    const { q, scales } = quantizePerColumn(p.w, p.k, p.n);
    const wq = g.init(`${p.name}.weight_q`, [p.k, p.n], q);
    const wScale = g.init(`${p.name}.weight_scale`, [p.n], scales);
    const wZero = g.init(`${p.name}.weight_zero_point`, [p.n], new Int8Array(p.n));
    const [xq, xScale, xZero] = g.op('DynamicQuantizeLinear', [x], [], 3) as [string, string, string];
    const acc = g.op1('MatMulInteger', [xq, wq, xZero, wZero]);
    const scale = g.op1('Mul', [xScale, wScale]);
    y = g.op1('Mul', [g.op1('Cast', [acc], [attr.int('to', DataType.FLOAT)]), scale]);
  }
  return p.bias ? g.op1('Add', [y, g.init(`${p.name}.bias`, [p.n], p.bias)]) : y;
}
