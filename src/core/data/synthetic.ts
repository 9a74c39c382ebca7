import { Prng } from './prng';
import { Csr, unionSymmetric } from '../linalg/sparse';

export interface SyntheticOptions {
  users: number;
  items: number;
  rank: number;
  /** Fraction of cells observed. */
  density: number;
  /** Std of Gaussian noise added before rounding. */
  noise: number;
  seed: number;
}

/**
 * A deterministic low-rank rating matrix: r = clip(round(3 + 1.2·(u·v)/√rank + b_u + b_i + noise), 1, 5)
 * observed on a seeded random subset of cells. Used by the demo and by tests (no dataset is ever committed).
 * Returns ratings as (1-based user id, 1-based item id, rating, timestamp) rows.
 */
export function syntheticRatings(o: SyntheticOptions): { user: number; item: number; rating: number; timestamp: number }[] {
  const rng = new Prng(o.seed);
  const U = Array.from({ length: o.users }, () => Array.from({ length: o.rank }, () => rng.normal()));
  const V = Array.from({ length: o.items }, () => Array.from({ length: o.rank }, () => rng.normal()));
  const bu = Array.from({ length: o.users }, () => 0.3 * rng.normal());
  const bi = Array.from({ length: o.items }, () => 0.4 * rng.normal());
  const rows: { user: number; item: number; rating: number; timestamp: number }[] = [];
  const scale = 1.2 / Math.sqrt(o.rank);
  for (let u = 0; u < o.users; u++) {
    for (let i = 0; i < o.items; i++) {
      if (rng.next() >= o.density) continue;
      let dot = 0;
      for (let f = 0; f < o.rank; f++) dot += U[u][f] * V[i][f];
      const r = Math.round(3 + scale * dot + bu[u] + bi[i] + o.noise * rng.normal());
      rows.push({ user: u + 1, item: i + 1, rating: Math.min(5, Math.max(1, r)), timestamp: 880000000 + rng.int(10000000) });
    }
  }
  // every user and item gets at least one rating, so the index space is the full users × items grid
  const seenU = new Set(rows.map((r) => r.user));
  const seenI = new Set(rows.map((r) => r.item));
  for (let u = 1; u <= o.users; u++) if (!seenU.has(u)) rows.push({ user: u, item: 1 + rng.int(o.items), rating: 3, timestamp: 880000000 });
  for (let i = 1; i <= o.items; i++) if (!seenI.has(i)) rows.push({ user: 1 + rng.int(o.users), item: i, rating: 3, timestamp: 880000000 });
  return rows;
}

/** The same as MovieLens tab-separated text (user, item, rating, timestamp). */
export function syntheticTsv(o: SyntheticOptions): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of syntheticRatings(o)) {
    const k = `${r.user}:${r.item}`;
    if (seen.has(k)) continue;
    seen.add(k);
    lines.push(`${r.user}\t${r.item}\t${r.rating}\t${r.timestamp}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A synthetic similarity graph of a kNN graph's shape and density (the LEPORID embedding benchmark): n nodes in
 * `groups` communities of unequal size; each node lists k others, a fraction `within` of them in its own community,
 * with a symmetric weight in (0, 1] that depends on the pair only; symmetrised by union like a kNN graph.
 */
export function syntheticKnnGraph(n: number, k: number, seed: number, groups = 200, within = 0.7): Csr {
  const rng = new Prng(seed);
  // community sizes ∝ 1/(g+1)^0.8 (a few large, many small)
  const share = Array.from({ length: groups }, (_, g) => 1 / (g + 1) ** 0.8);
  const total = share.reduce((a, b) => a + b, 0);
  const group = new Int32Array(n);
  const start: number[] = [];
  let at = 0;
  for (let g = 0; g < groups; g++) {
    start.push(at);
    const size = g === groups - 1 ? n - at : Math.max(1, Math.round((share[g] / total) * n));
    for (let t = 0; t < size && at < n; t++) group[at++] = g;
  }
  start.push(n);
  const weight = (i: number, j: number) => {
    const a = Math.min(i, j), b = Math.max(i, j);
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    return ((h >>> 8) + 1) / 16777216;
  };
  const lists: { cols: Int32Array; values: Float32Array }[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    const lo = start[g], size = start[g + 1] - start[g];
    const cols = new Int32Array(k);
    const values = new Float32Array(k);
    for (let t = 0; t < k; t++) {
      const j = rng.next() < within && size > 1 ? lo + Math.floor(rng.next() * size) : Math.floor(rng.next() * n);
      cols[t] = j;
      values[t] = weight(i, j);
    }
    lists[i] = { cols, values };
  }
  return unionSymmetric(n, lists);
}
