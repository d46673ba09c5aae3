import { linear, type Precision } from './linear.ts';
import { attr, DataType, GraphBuilder } from './onnx-graph.ts';
import { mulberry32, randomWeights } from './prng.ts';

/** Shape of the random BERT fixture. */
export const TINY_BERT = { hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 64, typeVocab: 2 } as const;

interface Ctx {
  readonly g: GraphBuilder;
  readonly precision: Precision;
  readonly next: () => number;
}

function layerNorm(c: Ctx, x: string, name: string): string {
  const h = TINY_BERT.hidden;
  const scale = c.g.init(
    `${name}.weight`,
    [h],
    Float32Array.from({ length: h }, () => 0.9 + c.next() * 0.2),
  );
  const bias = c.g.init(`${name}.bias`, [h], randomWeights(c.next, h, 0.02));
  return c.g.op1('LayerNormalization', [x, scale, bias], [attr.int('axis', -1), attr.float('epsilon', 1e-12)]);
}

function dense(c: Ctx, x: string, name: string, k: number, n: number): string {
  const w = randomWeights(c.next, k * n, Math.sqrt(3 / k));
  return linear(c.g, x, { name, w, k, n, bias: randomWeights(c.next, n, 0.02) }, c.precision);
}

function heads(c: Ctx, x: string, name: string, perm: number[]): string {
  const d = TINY_BERT.hidden / TINY_BERT.heads;
  const shape = c.g.ints(`${name}.shape`, [0, 0, TINY_BERT.heads, d]);
  return c.g.op1('Transpose', [c.g.op1('Reshape', [x, shape])], [attr.ints('perm', perm)]);
}

function bertLayer(c: Ctx, x: string, bias: string, i: number): string {
  const { g } = c;
  const h = TINY_BERT.hidden;
  const p = `layer${i}`;
  const q = heads(c, dense(c, x, `${p}.q`, h, h), `${p}.q`, [0, 2, 1, 3]);
  const k = heads(c, dense(c, x, `${p}.k`, h, h), `${p}.k`, [0, 2, 3, 1]);
  const v = heads(c, dense(c, x, `${p}.v`, h, h), `${p}.v`, [0, 2, 1, 3]);
  const scale = g.floats(`${p}.scale`, [1 / Math.sqrt(h / TINY_BERT.heads)], true);
  const probs = g.op1(
    'Softmax',
    [g.op1('Add', [g.op1('Mul', [g.op1('MatMul', [q, k]), scale]), bias])],
    [attr.int('axis', -1)],
  );
  const ctx = g.op1('Reshape', [
    g.op1('Transpose', [g.op1('MatMul', [probs, v])], [attr.ints('perm', [0, 2, 1, 3])]),
    g.ints(`${p}.merge`, [0, 0, h]),
  ]);
  const a = layerNorm(c, g.op1('Add', [dense(c, ctx, `${p}.attn_out`, h, h), x]), `${p}.attn_norm`);
  const up = dense(c, a, `${p}.ffn_up`, h, TINY_BERT.intermediate);
  // GELU(x) = 0.5 x (1 + erf(x / sqrt 2)); opset 17 has no Gelu op.
  const erf = g.op1('Erf', [g.op1('Mul', [up, g.floats(`${p}.inv_sqrt2`, [Math.SQRT1_2], true)])]);
  const gelu = g.op1('Mul', [
    g.op1('Mul', [up, g.op1('Add', [erf, g.floats(`${p}.one`, [1], true)])]),
    g.floats(`${p}.half`, [0.5], true),
  ]);
  return layerNorm(c, g.op1('Add', [dense(c, gelu, `${p}.ffn_down`, TINY_BERT.intermediate, h), a]), `${p}.ffn_norm`);
}

/** A random-weight, standard-shaped BERT encoder (inputs as exported by HF optimum). */
export function buildTinyBertOnnx(vocabSize: number, precision: Precision, seed: number): Uint8Array {
  const g = new GraphBuilder();
  const c: Ctx = { g, precision, next: mulberry32(seed) };
  const h = TINY_BERT.hidden;
  const dims = ['batch_size', 'sequence_length'];
  for (const name of ['input_ids', 'attention_mask', 'token_type_ids']) g.input(name, DataType.INT64, dims);
  const zero = g.ints('const.zero', [0]);
  const one = g.ints('const.one', [1]);
  const seqLen = g.op1('Gather', [g.op1('Shape', ['input_ids']), one]);
  const words = g.op1('Gather', [
    g.init('embeddings.word', [vocabSize, h], randomWeights(c.next, vocabSize * h, 1)),
    'input_ids',
  ]);
  const posTable = g.init(
    'embeddings.position',
    [TINY_BERT.maxPositions, h],
    randomWeights(c.next, TINY_BERT.maxPositions * h, 0.5),
  );
  const positions = g.op1('Slice', [posTable, zero, seqLen, zero, one]);
  const types = g.op1('Gather', [
    g.init('embeddings.type', [TINY_BERT.typeVocab, h], randomWeights(c.next, TINY_BERT.typeVocab * h, 0.5)),
    'token_type_ids',
  ]);
  let x = layerNorm(c, g.op1('Add', [g.op1('Add', [words, positions]), types]), 'embeddings.norm');
  const maskF = g.op1('Cast', ['attention_mask'], [attr.int('to', DataType.FLOAT)]);
  const padding = g.op1('Sub', [g.floats('const.one_f', [1], true), maskF]);
  const bias = g.op1('Mul', [
    g.op1('Unsqueeze', [padding, g.ints('axes.bias', [1, 2])]),
    g.floats('const.neg', [-1e4], true),
  ]);
  for (let i = 0; i < TINY_BERT.layers; i++) x = bertLayer(c, x, bias, i);
  g.op1('Identity', [x], [], 'last_hidden_state');
  g.output('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', h]);
  return g.encode('tiny_bert', 'Random-weight BERT test fixture (seeded); not a trained model.');
}
