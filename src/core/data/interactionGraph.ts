/**
 * Similarity graphs over users (or items) from implicit interactions, as LEPORID builds them: the Jaccard
 * similarity of two users' item sets |I_u ∩ I_v| / |I_u ∪ I_v| (training interactions only, each pair once),
 * each node keeps its K most similar other nodes (ties to the lower index), symmetrised by union. With K ≥ n − 1
 * the graph is the whole similarity matrix (the reference's keep_topk does the same).
 *
 * Intersections are counted through the shared items (for user u: every item i of u, every other user of i), so
 * the cost is Σ_i |U_i|² rather than n², and nothing n × n is ever allocated.
 */
import { Csr, unionSymmetric } from '../linalg/sparse';

/** Sets as sorted unique index lists, from (node, other) pairs. */
export function adjacencyLists(n: number, a: Int32Array, b: Int32Array): Int32Array[] {
  const sets: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (let t = 0; t < a.length; t++) sets[a[t]].add(b[t]);
  return sets.map((s) => Int32Array.from(s).sort());
}

/**
 * The Jaccard K-nearest-neighbour graph of the nodes' sets. `sets[u]` = the other side's indices of node u;
 * `transposed[i]` = the nodes that contain i. onRow: progress (throw to cancel).
 */
export function jaccardKnn(sets: Int32Array[], transposed: Int32Array[], K: number, onRow?: (row: number) => void): Csr {
  const n = sets.length;
  const count = new Int32Array(n);
  const touched = new Int32Array(n);
  const lists: { cols: Int32Array; values: Float32Array }[] = new Array(n);
  for (let u = 0; u < n; u++) {
    if (onRow && (u & 255) === 0) onRow(u);
    let m = 0;
    for (const i of sets[u]) {
      for (const v of transposed[i]) {
        if (v === u) continue;
        if (count[v] === 0) touched[m++] = v;
        count[v]++;
      }
    }
    const cand = touched.subarray(0, m);
    const sim = new Float64Array(m);
    for (let t = 0; t < m; t++) {
      const v = cand[t];
      const inter = count[v];
      sim[t] = inter / (sets[u].length + sets[v].length - inter);
    }
    let keep: number[];
    if (m <= K) keep = Array.from({ length: m }, (_, t) => t);
    else keep = Array.from({ length: m }, (_, t) => t).sort((p, q) => sim[q] - sim[p] || cand[p] - cand[q]).slice(0, K);
    lists[u] = { cols: Int32Array.from(keep, (t) => cand[t]), values: Float32Array.from(keep, (t) => sim[t]) };
    for (let t = 0; t < m; t++) count[cand[t]] = 0;
  }
  return unionSymmetric(n, lists);
}
