import * as path from 'path';
import * as fs from 'fs';
import { DatasetError } from './errors';

/** A sparse square graph in coordinate form (self-loops kept as stored; consumers decide). */
export interface SparseGraph {
  n: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
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

// h5wasm ships as an ES module only; a native dynamic import works from CommonJS in Node.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

let h5wasmPromise: Promise<any> | undefined;
async function loadH5wasm(): Promise<any> {
  if (!h5wasmPromise) {
    // use the module namespace: its FS binding is live (set once the wasm module is ready)
    h5wasmPromise = importEsm('h5wasm/node').then(async (mod) => {
      await mod.ready;
      return mod;
    });
  }
  return h5wasmPromise;
}

/** Reads a MATLAB array (dense dataset or sparse {data, ir, jc} group) as a dense row-major matrix. */
function readDense(file: string, obj: any, key: string): { rows: number; cols: number; data: Float64Array } {
  if (obj.type === 'Group' || typeof obj.keys === 'function') {
    const sp = readSparse(file, obj, key);
    const out = new Float64Array(sp.rows * sp.cols);
    for (let k = 0; k < sp.r.length; k++) out[sp.r[k] * sp.cols + sp.c[k]] = sp.v[k];
    return { rows: sp.rows, cols: sp.cols, data: out };
  }
  const shape: number[] = obj.shape;
  if (!shape || shape.length !== 2) throw DatasetError.single(file, `variable ${key} is not a 2-D matrix (shape ${JSON.stringify(shape)})`);
  const raw = obj.value as ArrayLike<number>;
  // HDF5 holds MATLAB's column-major array as [cols][rows]; transpose into row-major [rows][cols].
  const cols = shape[0];
  const rows = shape[1];
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = Number(raw[j * rows + i]);
  return { rows, cols, data: out };
}

function readSparse(file: string, group: any, key: string): { rows: number; cols: number; r: Int32Array; c: Int32Array; v: Float64Array } {
  const names: string[] = group.keys();
  for (const need of ['ir', 'jc']) {
    if (!names.includes(need)) throw DatasetError.single(file, `sparse variable ${key} lacks its "${need}" dataset`);
  }
  const sparseAttr = group.attrs?.MATLAB_sparse?.value;
  const jc = Array.from(group.get('jc').value as ArrayLike<number | bigint>, Number);
  const ir = Array.from(group.get('ir').value as ArrayLike<number | bigint>, Number);
  const data = names.includes('data') ? Array.from(group.get('data').value as ArrayLike<number>, Number) : ir.map(() => 1);
  const cols = jc.length - 1;
  const rows = sparseAttr !== undefined ? Number(sparseAttr) : cols;
  const r = new Int32Array(ir.length);
  const c = new Int32Array(ir.length);
  const v = new Float64Array(ir.length);
  for (let j = 0; j < cols; j++) {
    for (let k = jc[j]; k < jc[j + 1]; k++) {
      r[k] = ir[k];
      c[k] = j;
      v[k] = data[k];
    }
  }
  return { rows, cols, r, c, v };
}

function toGraph(file: string, obj: any, key: string): SparseGraph {
  const d = readDense(file, obj, key);
  if (d.rows !== d.cols) throw DatasetError.single(file, `graph ${key} is ${d.rows}×${d.cols}, not square`);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < d.rows; i++) {
    for (let j = 0; j < d.cols; j++) {
      const x = d.data[i * d.cols + j];
      if (x !== 0) { r.push(i); c.push(j); v.push(x); }
    }
  }
  return { n: d.rows, rows: Int32Array.from(r), cols: Int32Array.from(c), values: Float64Array.from(v) };
}

/**
 * Reads a Monti et al. MATLAB v7.3 dataset: M, Otraining, Otest (required) and the optional graphs
 * W_users / W_movies (or Wrow / Wcol). Rows of M are users, columns items.
 */
export async function readMatDataset(file: string): Promise<MatDataset> {
  if (!fs.existsSync(file)) throw DatasetError.single(file, 'file not found');
  const h5 = await loadH5wasm();
  // h5wasm reads from its own virtual file system: copy the bytes in under a unique name.
  const vname = `/tmp-krl-${process.pid}-${Date.now()}-${path.basename(file).replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  h5.FS.writeFile(vname, fs.readFileSync(file));
  let f: any;
  try {
    try {
      f = new h5.File(vname, 'r');
    } catch (e) {
      throw DatasetError.single(file, `cannot be read as a MATLAB v7.3 (HDF5) file: ${(e as Error).message}`);
    }
    const keys: string[] = f.keys();
    const missing = ['M', 'Otraining', 'Otest'].filter((k) => !keys.includes(k));
    if (missing.length) throw DatasetError.single(file, `missing .mat key(s) ${missing.join(', ')} (found: ${keys.join(', ') || 'none'})`);
    const M = readDense(file, f.get('M'), 'M');
    const tr = readDense(file, f.get('Otraining'), 'Otraining');
    const te = readDense(file, f.get('Otest'), 'Otest');
    for (const [k, x] of [['Otraining', tr], ['Otest', te]] as const) {
      if (x.rows !== M.rows || x.cols !== M.cols) throw DatasetError.single(file, `${k} is ${x.rows}×${x.cols} but M is ${M.rows}×${M.cols}`);
    }
    const pick = (...names: string[]) => names.find((n) => keys.includes(n));
    const ug = pick('W_users', 'Wrow');
    const ig = pick('W_movies', 'Wcol');
    const userGraph = ug ? toGraph(file, f.get(ug), ug) : undefined;
    const itemGraph = ig ? toGraph(file, f.get(ig), ig) : undefined;
    if (userGraph && userGraph.n !== M.rows) throw DatasetError.single(file, `${ug} has ${userGraph.n} nodes but M has ${M.rows} rows`);
    if (itemGraph && itemGraph.n !== M.cols) throw DatasetError.single(file, `${ig} has ${itemGraph.n} nodes but M has ${M.cols} columns`);
    return { rows: M.rows, cols: M.cols, M: M.data, Otraining: tr.data, Otest: te.data, userGraph, itemGraph, keys };
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw DatasetError.single(file, `cannot be read as a MATLAB v7.3 (HDF5) file: ${(e as Error).message}`);
  } finally {
    try { f?.close(); } catch { /* already closed */ }
    try { h5.FS.unlink(vname); } catch { /* ignore */ }
  }
}
