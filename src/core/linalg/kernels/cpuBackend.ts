/**
 * The parts of the tfjs CPU backend our kernels use (tfjs does not export these types): tensor data by id, a
 * synchronous read, and making an output tensor from a typed array without a copy.
 */
export interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

export interface CpuBackend {
  data: { get(id: object): { values: unknown } };
  readSync(id: object): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/** A tensor's values as a Float32Array: the stored array itself when it is one, otherwise a float32 copy. */
export function f32Values(backend: CpuBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  return Float32Array.from(backend.readSync(t.dataId));
}
