/**
 * Monti et al. MATLAB v7.3 (HDF5) datasets through h5wasm: M, Otraining, Otest and the optional graphs. Nothing
 * is trusted: shapes are checked against M before anything dense is built, sparse (CSC) arrays are validated
 * before any loop over them, values are checked (finite ratings ≥ 0, 0/1 masks that do not overlap), and an HDF5
 * read error — HDF5 prints it and hands back whatever the buffer held — is an error naming the file and the
 * dataset: the data that came back is never used.
 */
import * as path from 'path';
import * as fs from 'fs';
import { DatasetError } from './errors';
import { checkInputFile } from './inputFile';
import { isHdf5, isMatV5, MAT_V5_MESSAGE, readHead } from './textFormat';

/** A sparse square graph in coordinate form (self-loops kept as stored; consumers decide). */
export interface SparseGraph {
  n: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  /** Where the graph is a k-nearest-neighbour sparsification of a similarity matrix (Yamanishi data): that matrix
   * (n×n, row-major) and the k used, so a model may sparsify it again with another k. */
  similarity?: { values: Float64Array; k: number; source: string };
}

export interface MatDataset {
  /** Dense rating matrix, rows = users, columns = items, row-major. */
  rows: number;
  cols: number;
  M: Float64Array;
  Otraining: Float64Array;
  Otest: Float64Array;
  userGraph?: SparseGraph;
  itemGraph?: SparseGraph;
  keys: string[];
}

export interface MatReadOptions {
  /** Refuse (before reading values) when the dense matrices would need more bytes than this. */
  maxBytes?: number;
}

// h5wasm ships as an ES module only; a native dynamic import works from CommonJS in Node.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** HDF5's diagnostics while a read is guarded. */
let diagnostics: string[] | undefined;

/**
 * HDF5 prints its error stack to file descriptor 2 (h5wasm writes it with fs.writeSync, in fragments): while a
 * .mat file is being read — one synchronous stretch of code, nothing else writes then — those writes are collected
 * for the read that caused them, never shown to the user as raw text. Other writes pass.
 */
function filterHdf5Stderr(): void {
  // the module object itself (a TypeScript namespace import is a read-only view of it)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('fs') as { writeSync: unknown };
  const original = nodeFs.writeSync as (...a: unknown[]) => number;
  nodeFs.writeSync = function writeSync(fd: unknown, data: unknown, ...rest: unknown[]): number {
    if (fd === 2) {
      // a string, or a typed-array view (h5wasm passes its Int8Array heap with an offset and a length)
      const view = ArrayBuffer.isView(data) ? data : undefined;
      const text = typeof data === 'string' ? data : view ? Buffer.from(view.buffer, view.byteOffset + (typeof rest[0] === 'number' ? rest[0] : 0), typeof rest[1] === 'number' ? rest[1] : view.byteLength).toString('utf8') : '';
      if (diagnostics) {
        diagnostics.push(text);
        if (process.env.KRL_DEBUG) original.call(nodeFs, fd, data, ...rest);
        return typeof data === 'string' ? Buffer.byteLength(data) : typeof rest[1] === 'number' ? rest[1] : (view as ArrayBufferView).byteLength;
      }
    }
    return original.call(nodeFs, fd, data, ...rest);
  };
}

let h5wasmPromise: Promise<any> | undefined;
async function loadH5wasm(): Promise<any> {
  if (!h5wasmPromise) {
    filterHdf5Stderr();
    h5wasmPromise = importEsm('h5wasm/node').then(async (mod) => {
      await mod.ready;
      return mod;
    });
  }
  return h5wasmPromise;
}

/**
 * Reads a dataset once through h5wasm's C layer to get HDF5's status (its high-level `value` ignores a failed
 * H5Dread and returns whatever the buffer held): a negative status is a damaged file.
 */
function readStatus(h5: any, ds: any): number {
  const M = h5.Module;
  if (!M || typeof M.get_dataset_data !== 'function' || typeof M._malloc !== 'function') return 0;
  const meta = ds.metadata;
  if (!meta || meta.vlen) return 0;
  const nbytes = Math.max(1, Number(meta.size) * Number(meta.total_size));
  const ptr = M._malloc(nbytes);
  if (!ptr) return -1;
  try {
    return Number(M.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr)));
  } finally {
    M._free(ptr);
  }
}

/** Runs one HDF5 access; an HDF5 error printed meanwhile makes it fail, naming the file and what was read. */
function guarded<T>(file: string, what: string, fn: () => T): T {
  const d = diagnostics ?? [];
  const before = d.length;
  let value: T;
  try {
    value = fn();
  } catch (e) {
    throw DatasetError.single(file, `HDF5 read error in ${what}: ${firstCause(d.slice(before)) ?? (e as Error).message}`);
  }
  const printed = d.slice(before).join('');
  if (/HDF5-DIAG|Error detected/.test(printed)) throw DatasetError.single(file, `HDF5 read error in ${what}: ${firstCause([printed]) ?? 'the HDF5 library reported an error'} (the file is damaged)`);
  return value;
}

/** The innermost meaningful line of an HDF5 error stack (e.g. "filter returned failure during read"). */
function firstCause(parts: string[]): string | undefined {
  const text = parts.join('');
  const m = [...text.matchAll(/in (\w+)\(\): ([^\n]+)/g)];
  return m.length ? m[m.length - 1][2].trim() : undefined;
}

const MAX_CELLS = 2 ** 31 - 1;

/** Shape of a dataset or sparse group without reading its values: MATLAB's [rows, cols] (HDF5 holds [cols, rows]). */
function shapeOf(file: string, obj: any, key: string): { rows: number; cols: number; sparse: boolean } {
  if (obj.type === 'Group' || typeof obj.keys === 'function') {
    const names: string[] = guarded(file, key, () => obj.keys());
    for (const need of ['ir', 'jc']) if (!names.includes(need)) throw DatasetError.single(file, `sparse variable ${key} lacks its "${need}" dataset`);
    const jcShape: number[] = guarded(file, `${key}/jc`, () => obj.get('jc').shape);
    const cols = (jcShape?.reduce((p: number, q: number) => p * q, 1) ?? 0) - 1;
    const attr = guarded(file, `${key} attributes`, () => obj.attrs?.MATLAB_sparse?.value);
    const rows = attr !== undefined ? Number(attr) : cols;
    if (!Number.isSafeInteger(rows) || rows < 0 || cols < 0) throw DatasetError.single(file, `sparse variable ${key} has an invalid size (${rows} rows, ${cols} columns)`);
    return { rows, cols, sparse: true };
  }
  const shape: number[] = guarded(file, key, () => obj.shape);
  if (!shape || shape.length !== 2) throw DatasetError.single(file, `variable ${key} is not a 2-D matrix (shape ${JSON.stringify(shape)})`);
  const [cols, rows] = shape.map(Number);
  if (!(rows >= 0 && cols >= 0)) throw DatasetError.single(file, `variable ${key} has an invalid shape ${JSON.stringify(shape)}`);
  return { rows, cols, sparse: false };
}

let h5module: any;

function numbers(file: string, obj: any, key: string, expected: number): ArrayLike<number | bigint> {
  const status = guarded(file, key, () => readStatus(h5module, obj));
  if (status < 0) throw DatasetError.single(file, `HDF5 read error in ${key}: the data cannot be read (the file is damaged)`);
  const v = guarded(file, key, () => obj.value) as ArrayLike<number | bigint> | null;
  if (!v || typeof (v as { length?: unknown }).length !== 'number') throw DatasetError.single(file, `variable ${key} holds no numbers`);
  if (v.length !== expected) throw DatasetError.single(file, `variable ${key} holds ${v.length} values, its shape says ${expected}`);
  return v;
}

/** Reads a MATLAB dense array as a row-major matrix (transposed from MATLAB's column-major order). */
function readDense(file: string, obj: any, key: string, rows: number, cols: number): Float64Array {
  const raw = numbers(file, obj, key, rows * cols);
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = Number(raw[j * rows + i]);
  return out;
}

/** Reads and validates a MATLAB sparse (CSC) array: jc non-decreasing from 0 to nnz, ir within the rows. */
function readSparse(file: string, group: any, key: string, rows: number, cols: number): { r: Int32Array; c: Int32Array; v: Float64Array } {
  const jcObj = guarded(file, `${key}/jc`, () => group.get('jc'));
  const irObj = guarded(file, `${key}/ir`, () => group.get('ir'));
  const jc = numbers(file, jcObj, `${key}/jc`, cols + 1);
  const irShape: number[] = guarded(file, `${key}/ir`, () => irObj.shape) ?? [0];
  const nnz = irShape.reduce((p, q) => p * q, 1);
  const ir = numbers(file, irObj, `${key}/ir`, nnz);
  const names: string[] = guarded(file, key, () => group.keys());
  const data = names.includes('data') ? numbers(file, guarded(file, `${key}/data`, () => group.get('data')), `${key}/data`, nnz) : undefined;
  const bad = (what: string) => DatasetError.single(file, `sparse variable ${key}: ${what} (the file is damaged or not a MATLAB sparse matrix)`);
  if (Number(jc[0]) !== 0) throw bad(`jc starts at ${jc[0]}, not 0`);
  for (let j = 0; j < cols; j++) {
    const a = Number(jc[j]);
    const b = Number(jc[j + 1]);
    if (!Number.isSafeInteger(b) || b < a) throw bad(`jc decreases at column ${j} (${a} → ${b})`);
  }
  if (Number(jc[cols]) !== nnz) throw bad(`jc ends at ${jc[cols]} but ir holds ${nnz} entries`);
  const r = new Int32Array(nnz);
  const c = new Int32Array(nnz);
  const v = new Float64Array(nnz);
  for (let j = 0; j < cols; j++) {
    for (let k = Number(jc[j]); k < Number(jc[j + 1]); k++) {
      const i = Number(ir[k]);
      if (!Number.isInteger(i) || i < 0 || i >= rows) throw bad(`row index ${ir[k]} at entry ${k} is outside 0…${rows - 1}`);
      const x = data ? Number(data[k]) : 1;
      if (!Number.isFinite(x)) throw bad(`value ${x} at entry ${k} is not finite`);
      r[k] = i;
      c[k] = j;
      v[k] = x;
    }
  }
  return { r, c, v };
}

/** A graph as coordinates, read straight from its sparse form (no n × n array) or from a dense one. */
function readGraph(file: string, obj: any, key: string, n: number, maxBytes: number): SparseGraph {
  const sh = shapeOf(file, obj, key);
  if (sh.rows !== sh.cols) throw DatasetError.single(file, `graph ${key} is ${sh.rows}×${sh.cols}, not square`);
  if (sh.rows !== n) throw DatasetError.single(file, `graph ${key} has ${sh.rows} nodes but M has ${n} ${key === 'W_users' || key === 'Wrow' ? 'rows' : 'columns'}`);
  if (sh.sparse) {
    const sp = readSparse(file, obj, key, sh.rows, sh.cols);
    const keep: number[] = [];
    for (let k = 0; k < sp.v.length; k++) if (sp.v[k] !== 0) keep.push(k);
    return { n, rows: Int32Array.from(keep, (k) => sp.r[k]), cols: Int32Array.from(keep, (k) => sp.c[k]), values: Float64Array.from(keep, (k) => sp.v[k]) };
  }
  if (n * n > MAX_CELLS || n * n * 16 > maxBytes) throw DatasetError.single(file, `dense graph ${key} (${n}×${n}) is too large to read here`);
  const d = readDense(file, obj, key, n, n);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = d[i * n + j];
      if (!Number.isFinite(x)) throw DatasetError.single(file, `graph ${key} holds ${x} at (${i + 1}, ${j + 1})`);
      if (x !== 0) { r.push(i); c.push(j); v.push(x); }
    }
  }
  return { n, rows: Int32Array.from(r), cols: Int32Array.from(c), values: Float64Array.from(v) };
}

/** A 0/1 mask the size of M (dense or sparse). */
function readMask(file: string, obj: any, key: string, rows: number, cols: number): Float64Array {
  const sh = shapeOf(file, obj, key);
  if (sh.rows !== rows || sh.cols !== cols) throw DatasetError.single(file, `${key} is ${sh.rows}×${sh.cols} but M is ${rows}×${cols}`);
  let out: Float64Array;
  if (sh.sparse) {
    const sp = readSparse(file, obj, key, rows, cols);
    out = new Float64Array(rows * cols);
    for (let k = 0; k < sp.r.length; k++) out[sp.r[k] * cols + sp.c[k]] = sp.v[k];
  } else out = readDense(file, obj, key, rows, cols);
  for (let k = 0; k < out.length; k++) {
    if (out[k] !== 0 && out[k] !== 1) throw DatasetError.single(file, `${key} holds ${out[k]} at (${Math.floor(k / cols) + 1}, ${(k % cols) + 1}); a mask holds only 0 and 1`);
  }
  return out;
}

/**
 * Reads a Monti et al. MATLAB v7.3 dataset: M, Otraining, Otest (required) and the optional graphs
 * W_users / W_movies (or Wrow / Wcol). Rows of M are users, columns items.
 */
export async function readMatDataset(file: string, opts: MatReadOptions = {}): Promise<MatDataset> {
  const size = checkInputFile(file);
  const head = readHead(file, 4096);
  if (isMatV5(head)) throw DatasetError.single(file, MAT_V5_MESSAGE);
  if (!isHdf5(head)) throw DatasetError.single(file, size === 0 ? 'the file is empty' : 'is not a MATLAB v7.3 (HDF5) file');
  const maxBytes = opts.maxBytes ?? Infinity;
  if (size > maxBytes) throw DatasetError.single(file, `is ${(size / 2 ** 30).toFixed(1)} GiB, above the memory limit of ${(maxBytes / 2 ** 30).toFixed(1)} GiB`);
  const h5 = await loadH5wasm();
  h5module = h5;
  // h5wasm reads from its own virtual file system: copy the bytes in under a unique name.
  const vname = `/tmp-krl-${process.pid}-${Date.now()}-${path.basename(file).replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  h5.FS.writeFile(vname, fs.readFileSync(file));
  let f: any;
  // from here to the end: one synchronous stretch; HDF5's stderr goes to the guarded reads
  diagnostics = [];
  try {
    f = guarded(file, 'the file structure', () => new h5.File(vname, 'r'));
    const keys: string[] = guarded(file, 'the list of variables', () => f.keys());
    const missing = ['M', 'Otraining', 'Otest'].filter((k) => !keys.includes(k));
    if (missing.length) throw DatasetError.single(file, `missing .mat key(s) ${missing.join(', ')} (found: ${keys.join(', ') || 'none'})`);
    const get = (k: string) => guarded(file, k, () => f.get(k));
    const mObj = get('M');
    const sh = shapeOf(file, mObj, 'M');
    const { rows, cols } = sh;
    if (rows === 0 || cols === 0) throw DatasetError.single(file, `M is ${rows}×${cols}: no ratings`);
    // M and the two masks as float64 (+ the rating arrays built from them): refuse before allocating
    const need = rows * cols * 8 * 4;
    if (rows * cols > MAX_CELLS || need > maxBytes) throw DatasetError.single(file, `M is ${rows}×${cols}; reading it needs about ${(need / 2 ** 30).toFixed(1)} GiB, above the memory limit of ${(maxBytes / 2 ** 30).toFixed(1)} GiB (setting kernelRecLab.maxMemoryGiB / --max-memory)`);
    let M: Float64Array;
    if (sh.sparse) {
      const sp = readSparse(file, mObj, 'M', rows, cols);
      M = new Float64Array(rows * cols);
      for (let k = 0; k < sp.r.length; k++) M[sp.r[k] * cols + sp.c[k]] = sp.v[k];
    } else M = readDense(file, mObj, 'M', rows, cols);
    for (let k = 0; k < M.length; k++) {
      const x = M[k];
      if (!Number.isFinite(x) || x < 0) throw DatasetError.single(file, `M holds ${x} at (${Math.floor(k / cols) + 1}, ${(k % cols) + 1}); ratings must be finite and ≥ 0 (0 = unobserved)`);
      if (x !== 0 && Math.fround(x) === 0) throw DatasetError.single(file, `M holds ${x} at (${Math.floor(k / cols) + 1}, ${(k % cols) + 1}), which rounds to 0 in float32`);
      if (!Number.isFinite(Math.fround(x))) throw DatasetError.single(file, `M holds ${x} at (${Math.floor(k / cols) + 1}, ${(k % cols) + 1}), which overflows float32`);
    }
    const tr = readMask(file, get('Otraining'), 'Otraining', rows, cols);
    const te = readMask(file, get('Otest'), 'Otest', rows, cols);
    let overlap = 0;
    let first = -1;
    for (let k = 0; k < tr.length; k++) if (tr[k] && te[k]) { overlap++; if (first < 0) first = k; }
    if (overlap) throw DatasetError.single(file, `Otraining and Otest overlap in ${overlap} entr${overlap === 1 ? 'y' : 'ies'} (first at (${Math.floor(first / cols) + 1}, ${(first % cols) + 1})): a rating cannot be in both parts`);
    const pick = (...names: string[]) => names.find((n) => keys.includes(n));
    const ug = pick('W_users', 'Wrow');
    const ig = pick('W_movies', 'Wcol');
    const userGraph = ug ? readGraph(file, get(ug), ug, rows, maxBytes) : undefined;
    const itemGraph = ig ? readGraph(file, get(ig), ig, cols, maxBytes) : undefined;
    return { rows, cols, M, Otraining: tr, Otest: te, userGraph, itemGraph, keys };
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw DatasetError.single(file, `cannot be read as a MATLAB v7.3 (HDF5) file: ${(e as Error).message}`);
  } finally {
    try { f?.close(); } catch { /* already closed */ }
    try { h5.FS.unlink(vname); } catch { /* ignore */ }
    diagnostics = undefined;
  }
}
