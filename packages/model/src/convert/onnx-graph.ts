import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;
type IAttribute = onnxProto.onnx.IAttributeProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;

export const DataType = onnx.TensorProto.DataType;

/** Typed arrays the graph can hold as initializers. */
export type InitData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

function dataTypeOf(data: InitData): number {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Uint8Array) return DataType.UINT8;
  if (data instanceof Int32Array) return DataType.INT32;
  return DataType.INT64;
}

export const attr = {
  int: (name: string, i: number): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  float: (name: string, f: number): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  ints: (name: string, ints: number[]): IAttribute => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints,
  }),
};

/**
 * A small ONNX graph builder: names every node and value from a counter, so the
 * same construction order always yields the same bytes.
 */
export class GraphBuilder {
  private readonly nodes: INode[] = [];
  private readonly initializers: ITensor[] = [];
  private readonly inputs: IValueInfo[] = [];
  private readonly outputs: IValueInfo[] = [];
  private counter = 0;

  input(name: string, elemType: number, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: number, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  init(name: string, dims: readonly number[], data: InitData): string {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims: [...dims], dataType: dataTypeOf(data), rawData: Uint8Array.from(bytes) });
    return name;
  }

  /** A scalar or 1-D int64 constant, for shapes and axes. */
  ints(name: string, values: number[], scalar = false): string {
    return this.init(name, scalar ? [] : [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  floats(name: string, values: number[], scalar = false): string {
    return this.init(name, scalar ? [] : [values.length], Float32Array.from(values));
  }

  op(opType: string, inputs: string[], attributes: IAttribute[] = [], outputCount = 1, outName?: string): string[] {
    const id = this.counter++;
    const outputs = Array.from({ length: outputCount }, (_, k) =>
      outName !== undefined && k === 0 ? outName : `${opType.toLowerCase()}_${id}_${k}`,
    );
    this.nodes.push({ name: `${opType}_${id}`, opType, input: inputs, output: outputs, attribute: attributes });
    return outputs;
  }

  op1(opType: string, inputs: string[], attributes: IAttribute[] = [], outName?: string): string {
    const [out] = this.op(opType, inputs, attributes, 1, outName);
    if (out === undefined) throw new Error('unreachable: op without output');
    return out;
  }

  /** Serialises the model; ir_version 8 with opset 17 (LayerNormalization) plus the Microsoft domain. */
  encode(graphName: string, docString: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: '@portrait/model',
      producerVersion: '0.0.0',
      docString,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): IValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
