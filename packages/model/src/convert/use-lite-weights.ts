import type { TfjsTensor } from './tfjs-weights.ts';

const ENC = 'module_apply_default/Encoder_en/KonaTransformer/Encode';
const STACK = `${ENC}/TransformerStack`;
const VARS = 'module/Encoder_en/KonaTransformer/Encode';

export interface LayerNormWeights {
  readonly scale: Float32Array;
  readonly bias: Float32Array;
}

export interface UseLiteLayer {
  readonly width: number;
  readonly heads: number;
  readonly headDim: number;
  /** 1/sqrt(headDim), read from the graph rather than recomputed. */
  readonly queryScale: number;
  readonly attnNorm: LayerNormWeights;
  readonly qkv: { w: Float32Array; b: Float32Array; k: number; n: number };
  readonly out: { w: Float32Array; b: Float32Array; k: number; n: number };
  /** Projects the residual when the layer widens the stream (Layer_0: 256 -> 512). */
  readonly residual?: { w: Float32Array; b: Float32Array; k: number; n: number };
  readonly ffnNorm: LayerNormWeights;
  readonly conv1: { w: Float32Array; b: Float32Array; k: number; n: number };
  readonly conv2: { w: Float32Array; b: Float32Array; k: number; n: number };
}

export interface UseLiteWeights {
  readonly vocabSize: number;
  readonly embedDim: number;
  readonly embeddings: Float32Array;
  readonly invTimescales: Float32Array;
  readonly maxLength: number;
  readonly layerNormEpsilon: number;
  readonly attentionMaskBias: number;
  readonly layers: readonly UseLiteLayer[];
  readonly tanh: { w: Float32Array; b: Float32Array; k: number; n: number };
  readonly l2Epsilon: number;
}

/** Picks USE-Lite's weights and constants out of the TF.js tensors by name. */
export function useLiteWeights(tensors: Map<string, TfjsTensor>): UseLiteWeights {
  const get = (name: string): TfjsTensor => {
    const t = tensors.get(name);
    if (!t) throw new Error(`USE-Lite weight missing: ${name}`);
    return t;
  };
  const f32 = (name: string): Float32Array => {
    const t = get(name);
    if (!(t.data instanceof Float32Array)) throw new Error(`expected float32: ${name}`);
    return t.data;
  };
  const scalar = (name: string): number => {
    const v = get(name).data[0];
    if (v === undefined) throw new Error(`empty constant: ${name}`);
    return v;
  };
  const matrix = (wName: string, bName: string) => {
    const t = get(wName);
    const k = t.shape[t.shape.length - 2] ?? 0;
    const n = t.shape[t.shape.length - 1] ?? 0;
    return { w: f32(wName), b: f32(bName), k, n };
  };
  const norm = (prefix: string): LayerNormWeights => ({
    scale: f32(`${prefix}/layer_norm/layer_norm_scale/ConcatPartitions/concat`),
    bias: f32(`${prefix}/layer_norm/layer_norm_bias/ConcatPartitions/concat`),
  });
  const layer = (i: number): UseLiteLayer => {
    const enc = `${ENC}/Layer_${i}/TransformerLayer`;
    const vars = `${VARS}/Layer_${i}/TransformerLayer`;
    const stack = `${STACK}/Layer_${i}/TransformerLayer`;
    const mha = `${stack}/MultiheadAttention`;
    const qkv = matrix(
      `module/Encoder_en/KonaTransformer/Encode/Layer_${i}/TransformerLayer/MultiheadAttention/qkv_transform_single/kernel/part_0`,
      `${enc}/MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`,
    );
    const headDim = scalar(`${mha}/split_heads/split_last_dimension/Reshape/shape/3`);
    const residualName = `${enc}/dense/kernel/ConcatPartitions/concat`;
    return {
      width: qkv.k,
      heads: qkv.n / 3 / headDim,
      headDim,
      queryScale: scalar(`${mha}/mul/y`),
      attnNorm: norm(`${enc}/layer_prepostprocess`),
      qkv,
      out: matrix(
        `${vars}/MultiheadAttention/output_transform_single/kernel/part_0`,
        `${enc}/MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`,
      ),
      ...(tensors.has(residualName)
        ? { residual: matrix(residualName, `${enc}/dense/bias/ConcatPartitions/concat`) }
        : {}),
      ffnNorm: norm(`${enc}/FFN/layer_prepostprocess`),
      conv1: matrix(`${stack}/FFN/conv1/Tensordot/Reshape_1`, `${enc}/FFN/conv1/bias/ConcatPartitions/concat`),
      conv2: matrix(`${stack}/FFN/conv2/Tensordot/Reshape_1`, `${enc}/FFN/conv2/bias/ConcatPartitions/concat`),
    };
  };
  const emb = get('module/Embeddings_en');
  return {
    vocabSize: emb.shape[0] ?? 0,
    embedDim: emb.shape[1] ?? 0,
    embeddings: f32('module/Embeddings_en'),
    invTimescales: f32(`${STACK}/Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`),
    maxLength: scalar('module_apply_default/Encoder_en/KonaTransformer/ClipToMaxLength/Less/y'),
    layerNormEpsilon: scalar(`${STACK}/Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`),
    attentionMaskBias: scalar(
      `${STACK}/Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`,
    ),
    layers: [layer(0), layer(1)],
    tanh: matrix(
      'module/Encoder_en/hidden_layers/tanh_layer_0/weights',
      'module/Encoder_en/hidden_layers/tanh_layer_0/bias',
    ),
    l2Epsilon: scalar('module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y'),
  };
}
