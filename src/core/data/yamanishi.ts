/**
 * Drug–target interaction data in the Yamanishi et al. (2008) format (../shared/datasets/dti-yamanishi/README.md):
 * `<name>_admat_dgc.txt`, a binary targets × drugs matrix whose first line holds the drug ids (after a tab) and whose
 * other lines start with their target id; `<name>_simmat_dc.txt`, drug × drug chemical similarity, and
 * `<name>_simmat_dg.txt`, target × target sequence similarity, both in the admat's order.
 *
 * As a dataset: users = targets, items = drugs, and every pair is an observation (1 = known interaction, 0 = none
 * known), for the `interaction` task. The similarities become graphs by k-nearest-neighbour sparsification
 * (each node keeps its k most similar others, weight max(S_ij, S_ji), symmetrised by union): the SGMC paper does not say
 * how; k = 5 by default, as the GRMF / MGRNNM code the paper compares with (`DTI_KNN`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from './errors';
import { knnFromSimilarity } from './graph';
import type { SparseGraph } from './matFile';

export const DTI_KNN = 5;

const ADMAT = /_admat_dgc\.txt$/i;

export function isYamanishiFile(file: string): boolean {
  return ADMAT.test(path.basename(file));
}

export interface YamanishiTable {
  colIds: string[];
  rowIds: string[];
  values: Float64Array;
}

/** A tab-separated table with a header of column ids and a row id in front of every line (checked). */
export function readYamanishiTable(file: string): YamanishiTable {
  if (!fs.existsSync(file)) throw DatasetError.single(file, 'file not found (a Yamanishi dataset needs the _admat_dgc, _simmat_dc and _simmat_dg files side by side)');
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2) throw DatasetError.single(file, 'needs a header line of column ids and at least one row', 1);
  const head = lines[0].split('\t');
  if (head[0].trim() !== '') throw DatasetError.single(file, 'the first line must start with a tab, then the column ids', 1);
  const colIds = head.slice(1).map((s) => s.trim());
  const rowIds: string[] = [];
  const values = new Float64Array((lines.length - 1) * colIds.length);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split('\t');
    if (cells.length !== colIds.length + 1) throw DatasetError.single(file, `${cells.length - 1} values, the header has ${colIds.length} columns`, r + 1);
    rowIds.push(cells[0].trim());
    for (let c = 0; c < colIds.length; c++) {
      const v = Number(cells[c + 1]);
      if (cells[c + 1].trim() === '' || !Number.isFinite(v)) throw DatasetError.single(file, `column ${c + 2} ("${colIds[c]}"): "${cells[c + 1]}" is not a number`, r + 1);
      values[(r - 1) * colIds.length + c] = v;
    }
  }
  return { colIds, rowIds, values };
}

export interface YamanishiData {
  name: string;
  targets: string[];
  drugs: string[];
  /** targets × drugs, 0/1, row-major. */
  interactions: Float64Array;
  targetGraph: SparseGraph;
  drugGraph: SparseGraph;
  files: string[];
}

function sparse(W: Float64Array, n: number): SparseGraph {
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (W[i * n + j] !== 0) { rows.push(i); cols.push(j); values.push(W[i * n + j]); }
  return { n, rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values) };
}

/** Reads `<name>_admat_dgc.txt` and its two similarity files; checks shapes, id order and values. */
export function readYamanishi(admatFile: string, k = DTI_KNN): YamanishiData {
  const base = admatFile.replace(ADMAT, '');
  const name = path.basename(base);
  const ad = readYamanishiTable(admatFile);
  for (let x = 0; x < ad.values.length; x++) {
    const v = ad.values[x];
    if (v !== 0 && v !== 1) {
      const r = Math.floor(x / ad.colIds.length);
      throw DatasetError.single(admatFile, `interaction (${ad.rowIds[r]}, ${ad.colIds[x % ad.colIds.length]}) is ${v}; only 0 and 1 are allowed`, r + 2);
    }
  }
  const dcFile = `${base}_simmat_dc.txt`;
  const dgFile = `${base}_simmat_dg.txt`;
  const dc = readYamanishiTable(dcFile);
  const dg = readYamanishiTable(dgFile);
  const sameOrder = (file: string, t: YamanishiTable, ids: string[], what: string) => {
    if (t.colIds.length !== ids.length || t.rowIds.length !== ids.length) throw DatasetError.single(file, `is ${t.rowIds.length}×${t.colIds.length}; the interaction matrix has ${ids.length} ${what}`, 1);
    for (let i = 0; i < ids.length; i++) {
      if (t.colIds[i] !== ids[i]) throw DatasetError.single(file, `column ${i + 2} is ${t.colIds[i]}, the interaction matrix has ${ids[i]} there (the order must match)`, 1);
      if (t.rowIds[i] !== ids[i]) throw DatasetError.single(file, `row id ${t.rowIds[i]}, the interaction matrix has ${ids[i]} there (the order must match)`, i + 2);
    }
    for (let x = 0; x < t.values.length; x++) if (t.values[x] < 0) throw DatasetError.single(file, `similarity ${t.values[x]} is negative`, Math.floor(x / ids.length) + 2);
  };
  sameOrder(dcFile, dc, ad.colIds, 'drugs');
  sameOrder(dgFile, dg, ad.rowIds, 'targets');
  const nT = ad.rowIds.length;
  const nD = ad.colIds.length;
  return {
    name,
    targets: ad.rowIds,
    drugs: ad.colIds,
    interactions: ad.values,
    targetGraph: { ...sparse(knnFromSimilarity(dg.values, nT, k, path.basename(dgFile)).W, nT), similarity: { values: Float64Array.from(dg.values), k, source: path.basename(dgFile) } },
    drugGraph: { ...sparse(knnFromSimilarity(dc.values, nD, k, path.basename(dcFile)).W, nD), similarity: { values: Float64Array.from(dc.values), k, source: path.basename(dcFile) } },
    files: [admatFile, dcFile, dgFile],
  };
}
