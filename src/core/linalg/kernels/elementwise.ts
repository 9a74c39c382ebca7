/**
 * Shared machinery of the element-wise kernels (./Add.ts … ./Sqrt.ts): each op is one JavaScript expression in x
 * (and y), compiled into tight loops for the broadcast patterns the models use — same shape, a scalar, a trailing
 * row vector, a column vector and an outer (column × row) broadcast. The stock CPU kernels take a slow generic
 * path (index arithmetic per element) as soon as one operand is broadcast; every other case goes to them.
 * Results are bit-identical to the stock kernels (same float32 arithmetic, element by element).
 */
import type { CpuBackend, TensorInfo } from './cpuBackend';
import type { CpuKernel, KernelFunc } from './kernel';

type NumArray = Float32Array | Int32Array | Uint8Array;
const isNumeric = (v: unknown): v is NumArray => v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array;

const size = (s: number[]) => s.reduce((p, q) => p * q, 1);

/** Tight loops per op (a generic `op(x, y)` call per element would cost a closure call each). */
function loops(e: string) {
  const same = new Function('a', 'b', 'o', 'n', `for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; o[i] = ${e}; }`) as (a: NumArray, b: NumArray, o: Float32Array, n: number) => void;
  const scalarB = new Function('a', 'y', 'o', 'n', `for (let i = 0; i < n; i++) { const x = a[i]; o[i] = ${e}; }`) as (a: NumArray, y: number, o: Float32Array, n: number) => void;
  const scalarA = new Function('x', 'b', 'o', 'n', `for (let i = 0; i < n; i++) { const y = b[i]; o[i] = ${e}; }`) as (x: number, b: NumArray, o: Float32Array, n: number) => void;
  // a [m, n] with b [n] (row broadcast) — or the mirror with swapped roles
  const rowB = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) for (let c = 0; c < n; c++, k++) { const x = a[k], y = b[c]; o[k] = ${e}; }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  const rowA = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) for (let c = 0; c < n; c++, k++) { const x = a[c], y = b[k]; o[k] = ${e}; }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  // a [m, n] with b [m, 1] (column broadcast) — or the mirror
  const colB = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) { const y = b[r]; for (let c = 0; c < n; c++, k++) { const x = a[k]; o[k] = ${e}; } }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  const colA = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) { const x = a[r]; for (let c = 0; c < n; c++, k++) { const y = b[k]; o[k] = ${e}; } }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  // a [m, 1] with b [1, n] (outer)
  const outer = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) { const x = a[r]; for (let c = 0; c < n; c++, k++) { const y = b[c]; o[k] = ${e}; } }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  // a [1, n] with b [m, 1] (the outer broadcast with the roles swapped)
  const outerT = new Function('a', 'b', 'o', 'm', 'n', `for (let r = 0, k = 0; r < m; r++) { const y = b[r]; for (let c = 0; c < n; c++, k++) { const x = a[c]; o[k] = ${e}; } }`) as (a: NumArray, b: NumArray, o: Float32Array, m: number, n: number) => void;
  return { same, scalarA, scalarB, rowA, rowB, colA, colB, outer, outerT };
}

/** Broadcast output shape, or undefined when the shapes do not broadcast. */
function broadcastShape(a: number[], b: number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}

/** Is `small` broadcast along all but its last axis in `out` (a row vector: [.., n] with leading 1s)? */
function isRow(small: number[], out: number[]): boolean {
  const n = out[out.length - 1];
  return small.length >= 1 && small[small.length - 1] === n && size(small) === n;
}

/** Is `small` a column vector over a 2-D `out` ([m, 1] against [m, n])? */
function isCol(small: number[], out: number[]): boolean {
  return out.length === 2 && small.length === 2 && small[0] === out[0] && small[1] === 1;
}

/** A binary element-wise kernel replacing the stock one of that name (NaN propagates as in the stock kernels). */
export function binaryKernel(kernelName: string, expression: string): CpuKernel {
  return {
    kernelName,
    group: 'elementwise',
    make(stock) {
      const L = loops(expression);
      const fn: KernelFunc = (args) => {
        const { inputs, backend } = args;
        const { a, b } = inputs as unknown as { a: TensorInfo; b: TensorInfo };
        const fallback = () => (stock as (x: unknown) => TensorInfo)(args) as never;
        if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback();
        const cpu = backend as unknown as CpuBackend;
        const av = cpu.data.get(a.dataId).values;
        const bv = cpu.data.get(b.dataId).values;
        // float32 tensors can hold Uint8Array/Int32Array values (e.g. a cast mask): numeric either way
        if (!isNumeric(av) || !isNumeric(bv)) return fallback();
        const outShape = broadcastShape(a.shape, b.shape);
        if (!outShape) return fallback();
        const n = size(outShape);
        const o = new Float32Array(n);
        const sa = size(a.shape);
        const sb = size(b.shape);
        const last = outShape[outShape.length - 1] ?? 1;
        const rows = last > 0 ? n / last : 0;
        if (sa === n && sb === n) L.same(av, bv, o, n);
        else if (sb === 1 && sa === n) L.scalarB(av, bv[0], o, n);
        else if (sa === 1 && sb === n) L.scalarA(av[0], bv, o, n);
        else if (sa === n && isRow(b.shape, outShape)) L.rowB(av, bv, o, rows, last);
        else if (sb === n && isRow(a.shape, outShape)) L.rowA(av, bv, o, rows, last);
        else if (sa === n && isCol(b.shape, outShape)) L.colB(av, bv, o, outShape[0], last);
        else if (sb === n && isCol(a.shape, outShape)) L.colA(av, bv, o, outShape[0], last);
        else if (outShape.length === 2 && a.shape.length === 2 && b.shape.length === 2 && a.shape[1] === 1 && b.shape[0] === 1) L.outer(av, bv, o, outShape[0], last);
        else if (outShape.length === 2 && a.shape.length === 2 && b.shape.length === 2 && b.shape[1] === 1 && a.shape[0] === 1) L.outerT(av, bv, o, outShape[0], last);
        else return fallback();
        return cpu.makeTensorInfo(outShape, 'float32', o) as never;
      };
      return fn;
    },
  };
}

/** A unary element-wise kernel replacing the stock one of that name, for float32 inputs. */
export function unaryKernel(kernelName: string, expression: string): CpuKernel {
  return {
    kernelName,
    group: 'elementwise',
    make(stock) {
      const loop = new Function('a', 'o', 'n', `for (let i = 0; i < n; i++) { const x = a[i]; o[i] = ${expression}; }`) as (a: NumArray, o: Float32Array, n: number) => void;
      const fn: KernelFunc = (args) => {
        const { inputs, backend, attrs } = args;
        const { x } = inputs as unknown as { x: TensorInfo };
        const cpu = backend as unknown as CpuBackend;
        const xv = cpu.data.get(x.dataId).values;
        // Step has an alpha attribute (value for x ≤ 0); only the default 0 is handled here
        const stepAlpha = (attrs as { alpha?: number } | undefined)?.alpha ?? 0;
        if (x.dtype !== 'float32' || !isNumeric(xv) || (kernelName === 'Step' && stepAlpha !== 0)) return (stock as (a: unknown) => TensorInfo)(args) as never;
        const o = new Float32Array(xv.length);
        loop(xv, o, xv.length);
        return cpu.makeTensorInfo(x.shape, 'float32', o) as never;
      };
      return fn;
    },
  };
}
