/**
 * The model-independent embeddings step of the ranking models (DLR², BPR): 64-dimensional user and item vectors
 * from the *fitted* interactions only (never validation or test), by
 *   leporid  Jaccard kNN graphs of the users' item sets and the items' user sets (K per node, union), LEPORID's
 *            regularised Laplacian (α), the `dims` smallest eigenvectors, z-scored (../../linalg/spectralEmbedding)
 *   le       the same with α = 0 (Laplacian eigenmaps)
 *   svd      the top singular vectors of the binary user × item matrix, z-scored
 *   random   N(0, 0.01²) (the reference's `normal_(0, 0.01)`)
 * Graph embeddings are cached per (fitted interactions, method, K, α, dims) in `<runs>/.cache/embeddings/`, so the
 * seeds of a sweep and later runs reuse them.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Prng } from '../../data/prng';
import type { RatingMatrix } from '../../data/ratingMatrix';
import { adjacencyLists, jaccardKnn } from '../../data/interactionGraph';
import { leporidEmbedding, svdEmbedding } from '../../linalg/spectralEmbedding';
import { nnz } from '../../linalg/sparse';

export type EmbeddingMethod = 'leporid' | 'le' | 'svd' | 'random';
export const EMBEDDING_METHODS: EmbeddingMethod[] = ['leporid', 'le', 'svd', 'random'];

export interface EmbeddingSpec {
  method: EmbeddingMethod;
  dims: number;
  /** kNN size per node (LEPORID / LE). */
  K: number;
  /** LEPORID's regularisation α (LE: 0). */
  alpha: number;
}

export interface SideEmbedding {
  /** Row-major n × dims. */
  vectors: Float32Array;
  /** Eigenvalues of the Laplacian (LEPORID / LE) or singular values (SVD), one per column; empty for random. */
  spectrum: number[];
  /** Number of interactions of each node in the fitted part. */
  degree: Int32Array;
}

export interface Embeddings {
  spec: EmbeddingSpec;
  dims: number;
  users: SideEmbedding;
  items: SideEmbedding;
  /** Seconds spent computing (0 from the cache). */
  seconds: number;
  fromCache: boolean;
}

function fittedHash(fit: RatingMatrix, nUsers: number, nItems: number, spec: EmbeddingSpec): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: 1, nUsers, nItems, ...spec, alpha: spec.method === 'le' ? 0 : spec.alpha }));
  h.update(Buffer.from(fit.users.buffer, fit.users.byteOffset, fit.users.byteLength));
  h.update(Buffer.from(fit.items.buffer, fit.items.byteOffset, fit.items.byteLength));
  return h.digest('hex').slice(0, 24);
}

function degrees(n: number, idx: Int32Array): Int32Array {
  const d = new Int32Array(n);
  for (const i of idx) d[i]++;
  return d;
}

const memo = new Map<string, Embeddings>();

/** The embeddings of the fitted interactions. `log` reports timings; `check` is called often (cancellation). */
export function computeEmbeddings(fit: RatingMatrix, nUsers: number, nItems: number, spec: EmbeddingSpec, rng: Prng, opts: { cacheDir?: string; log?: (m: string) => void; check?: () => void } = {}): Embeddings {
  const log = opts.log ?? (() => undefined);
  const { dims } = spec;
  const du = degrees(nUsers, fit.users);
  const di = degrees(nItems, fit.items);
  if (spec.method === 'random') {
    const r = (n: number) => Float32Array.from({ length: n * dims }, () => 0.01 * rng.normal());
    return { spec, dims, users: { vectors: r(nUsers), spectrum: [], degree: du }, items: { vectors: r(nItems), spectrum: [], degree: di }, seconds: 0, fromCache: false };
  }
  const key = fittedHash(fit, nUsers, nItems, spec);
  const hit = memo.get(key);
  if (hit) return { ...hit, fromCache: true, seconds: 0 };
  const file = opts.cacheDir ? path.join(opts.cacheDir, 'embeddings', `${key}.f32`) : undefined;
  if (file && fs.existsSync(file)) {
    try {
      const buf = fs.readFileSync(file);
      const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      if (all.length === 2 * dims + (nUsers + nItems) * dims) {
        const e: Embeddings = {
          spec, dims, seconds: 0, fromCache: true,
          users: { spectrum: Array.from(all.subarray(0, dims)), vectors: all.slice(2 * dims, 2 * dims + nUsers * dims), degree: du },
          items: { spectrum: Array.from(all.subarray(dims, 2 * dims)), vectors: all.slice(2 * dims + nUsers * dims), degree: di },
        };
        memo.set(key, e);
        log(`${spec.method} embeddings from the cache ${file}`);
        return e;
      }
    } catch (err) {
      log(`could not read the cached embeddings ${file}: ${(err as Error).message}`);
    }
  }
  const t0 = Date.now();
  const userSets = adjacencyLists(nUsers, fit.users, fit.items);
  const itemSets = adjacencyLists(nItems, fit.items, fit.users);
  let users: SideEmbedding;
  let items: SideEmbedding;
  if (spec.method === 'svd') {
    const s = svdEmbedding(userSets, nItems, dims);
    const spectrum = Array.from(s.singularValues);
    users = { vectors: s.rows, spectrum, degree: du };
    items = { vectors: s.cols, spectrum, degree: di };
  } else {
    const alpha = spec.method === 'le' ? 0 : spec.alpha;
    const side = (name: string, sets: Int32Array[], other: Int32Array[], degree: Int32Array): SideEmbedding => {
      const t = Date.now();
      const g = jaccardKnn(sets, other, spec.K, () => opts.check?.());
      const tg = Date.now();
      const e = leporidEmbedding(g, dims, alpha, { onStep: () => opts.check?.() });
      log(`${spec.method} ${name} embedding: Jaccard kNN graph (K = ${spec.K}) of ${g.n} nodes, ${nnz(g)} entries in ${((tg - t) / 1000).toFixed(1)} s; ${dims} eigenvectors in ${((Date.now() - tg) / 1000).toFixed(1)} s (${e.applications} products), λ ${e.eigenvalues[0].toFixed(4)} … ${e.eigenvalues[dims - 1].toFixed(4)}${e.isolated ? `; ${e.isolated} nodes without neighbours` : ''}`);
      return { vectors: e.vectors, spectrum: Array.from(e.eigenvalues), degree };
    };
    users = side('user', userSets, itemSets, du);
    items = side('item', itemSets, userSets, di);
  }
  const seconds = (Date.now() - t0) / 1000;
  const e: Embeddings = { spec, dims, users, items, seconds, fromCache: false };
  memo.set(key, e);
  if (file) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const all = new Float32Array(2 * dims + (nUsers + nItems) * dims);
      all.set(users.spectrum.slice(0, dims));
      all.set(items.spectrum.slice(0, dims), dims);
      all.set(users.vectors, 2 * dims);
      all.set(items.vectors, 2 * dims + nUsers * dims);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.from(all.buffer));
      fs.renameSync(tmp, file);
    } catch (err) {
      log(`could not cache the embeddings in ${file}: ${(err as Error).message}`);
    }
  }
  return e;
}

/** Forgets the embeddings kept in this process (tests of the on-disk cache). */
export function clearEmbeddingMemo(): void {
  memo.clear();
}
