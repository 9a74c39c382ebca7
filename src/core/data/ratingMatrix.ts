import { RawRatings } from './textFormat';
import type { DatasetStats } from '../../protocol/types';

export interface RatingScale {
  min: number;
  max: number;
  /** Smallest step between distinct ratings (1 for 1–5 stars, 0.5 for half stars, 0 when continuous). */
  step: number;
}

/** Maps external numeric ids to contiguous indices in ascending id order (MODELS.md "Data conventions"). */
export class IdMap {
  readonly ids: Float64Array;
  private readonly index: Map<number, number>;

  constructor(ids: Iterable<number>) {
    const uniq = Float64Array.from(new Set(ids)).sort();
    this.ids = uniq;
    this.index = new Map();
    for (let i = 0; i < uniq.length; i++) this.index.set(uniq[i], i);
  }

  static fromArrays(arrays: Float64Array[]): IdMap {
    const set = new Set<number>();
    for (const a of arrays) for (let i = 0; i < a.length; i++) set.add(a[i]);
    return new IdMap(set);
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: number): number {
    const i = this.index.get(id);
    if (i === undefined) throw new RangeError(`unknown id ${id}`);
    return i;
  }

  map(ids: Float64Array): Int32Array {
    const out = new Int32Array(ids.length);
    const m = this.index;
    for (let k = 0; k < ids.length; k++) out[k] = m.get(ids[k]) as number;
    return out;
  }
}

/**
 * Sparse ratings in coordinate form over a fixed users × items index space. Train, validation and test parts
 * of one dataset share the same IdMaps (and so the same shape).
 */
export class RatingMatrix {
  constructor(
    readonly users: Int32Array,
    readonly items: Int32Array,
    readonly values: Float32Array,
    readonly userIds: IdMap,
    readonly itemIds: IdMap,
    readonly timestamps?: Float64Array,
  ) {
    if (users.length !== items.length || users.length !== values.length) throw new Error('RatingMatrix: arrays differ in length');
  }

  get length(): number {
    return this.values.length;
  }
  get nUsers(): number {
    return this.userIds.size;
  }
  get nItems(): number {
    return this.itemIds.size;
  }

  /** The ratings at the given positions, same index space. */
  subset(idx: ArrayLike<number>): RatingMatrix {
    const n = idx.length;
    const u = new Int32Array(n);
    const it = new Int32Array(n);
    const v = new Float32Array(n);
    const t = this.timestamps ? new Float64Array(n) : undefined;
    for (let k = 0; k < n; k++) {
      const j = idx[k];
      u[k] = this.users[j];
      it[k] = this.items[j];
      v[k] = this.values[j];
      if (t) t[k] = (this.timestamps as Float64Array)[j];
    }
    return new RatingMatrix(u, it, v, this.userIds, this.itemIds, t);
  }

  /** Concatenation of parts over the same index space. */
  static concat(parts: RatingMatrix[]): RatingMatrix {
    const n = parts.reduce((s, p) => s + p.length, 0);
    const u = new Int32Array(n);
    const it = new Int32Array(n);
    const v = new Float32Array(n);
    const withTs = parts.every((p) => p.timestamps);
    const t = withTs ? new Float64Array(n) : undefined;
    let o = 0;
    for (const p of parts) {
      u.set(p.users, o);
      it.set(p.items, o);
      v.set(p.values, o);
      if (t) t.set(p.timestamps as Float64Array, o);
      o += p.length;
    }
    return new RatingMatrix(u, it, v, parts[0].userIds, parts[0].itemIds, t);
  }

  /** Dense items × users matrix (row-major, 0 = unobserved): the autoencoders' input orientation. */
  toDenseItemsByUsers(): Float32Array {
    const nU = this.nUsers;
    const out = new Float32Array(this.nItems * nU);
    for (let k = 0; k < this.length; k++) out[this.items[k] * nU + this.users[k]] = this.values[k];
    return out;
  }
}

export interface DuplicateReport {
  count: number;
  /** A few examples, as "line A and line B" strings. */
  examples: string[];
}

/**
 * Builds a RatingMatrix from parsed ratings using shared id maps. Duplicate (user, item) pairs keep the last
 * occurrence; they are counted and reported. O(n + nItems): ratings are bucketed by user, and a per-item stamp
 * finds repeats inside each bucket.
 */
export function buildRatingMatrix(raw: RawRatings, userIds: IdMap, itemIds: IdMap): { matrix: RatingMatrix; duplicates: DuplicateReport } {
  const n = raw.length;
  const u = userIds.map(raw.userIds);
  const it = itemIds.map(raw.itemIds);
  const nU = userIds.size;
  const nI = itemIds.size;
  // bucket by user, stable
  const start = new Int32Array(nU + 1);
  for (let k = 0; k < n; k++) start[u[k] + 1]++;
  for (let i = 0; i < nU; i++) start[i + 1] += start[i];
  const fill = start.slice(0, nU);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[fill[u[k]]++] = k;
  const stamp = new Int32Array(nI).fill(-1);
  const lastPos = new Int32Array(nI);
  const dropped = new Uint8Array(n);
  let dup = 0;
  const examples: string[] = [];
  for (let user = 0; user < nU; user++) {
    for (let p = start[user]; p < start[user + 1]; p++) {
      const k = order[p];
      const item = it[k];
      if (stamp[item] === user) {
        const prev = lastPos[item];
        dropped[prev] = 1;
        dup++;
        if (examples.length < 5) {
          const where = raw.lines ? `lines ${raw.lines[prev]} and ${raw.lines[k]}` : `entries ${prev} and ${k}`;
          examples.push(`user ${raw.userIds[k]}, item ${raw.itemIds[k]} (${where})`);
        }
      }
      stamp[item] = user;
      lastPos[item] = k;
    }
  }
  const keep = n - dup;
  const uu = new Int32Array(keep);
  const ii = new Int32Array(keep);
  const vv = new Float32Array(keep);
  const tt = raw.timestamps ? new Float64Array(keep) : undefined;
  let o = 0;
  for (let k = 0; k < n; k++) {
    if (dropped[k]) continue;
    uu[o] = u[k];
    ii[o] = it[k];
    vv[o] = raw.values[k];
    if (tt) tt[o] = (raw.timestamps as Float64Array)[k];
    o++;
  }
  return { matrix: new RatingMatrix(uu, ii, vv, userIds, itemIds, tt), duplicates: { count: dup, examples } };
}

/** Detects the rating scale from observed values: [min, max] and the grid step. */
export function detectScale(values: Float32Array[]): RatingScale {
  let min = Infinity;
  let max = -Infinity;
  const distinct = new Set<number>();
  for (const a of values) {
    for (let k = 0; k < a.length; k++) {
      const v = a[k];
      if (v < min) min = v;
      if (v > max) max = v;
      if (distinct.size <= 64) distinct.add(v);
    }
  }
  let step = 0;
  if (distinct.size <= 64) {
    const sorted = [...distinct].sort((a, b) => a - b);
    step = Infinity;
    for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i] - sorted[i - 1]);
    if (!Number.isFinite(step)) step = 0;
    step = Math.round(step * 1e6) / 1e6;
  }
  return { min, max, step };
}

export type { DatasetStats };

function quantiles(counts: Int32Array) {
  const s = Int32Array.from(counts).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { min: s[0] ?? 0, q1: q(0.25), median: q(0.5), q3: q(0.75), max: s[s.length - 1] ?? 0, mean };
}

function logHistogram(counts: Int32Array): { lo: number; hi: number; count: number }[] {
  const edges = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, Infinity];
  const out = edges.slice(0, -1).map((lo, i) => ({ lo, hi: edges[i + 1] - 1, count: 0 }));
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    const b = out.findIndex((x) => c >= x.lo && c <= x.hi);
    out[b].count++;
  }
  while (out.length > 1 && out[out.length - 1].count === 0) out.pop();
  return out.map((x) => ({ ...x, hi: Number.isFinite(x.hi) ? x.hi : x.lo }));
}

export function computeStats(m: RatingMatrix): DatasetStats {
  const perUser = new Int32Array(m.nUsers);
  const perItem = new Int32Array(m.nItems);
  const hist = new Map<number, number>();
  let sum = 0;
  for (let k = 0; k < m.length; k++) {
    perUser[m.users[k]]++;
    perItem[m.items[k]]++;
    const v = Math.round(m.values[k] * 1000) / 1000;
    sum += m.values[k];
    if (hist.size < 200 || hist.has(v)) hist.set(v, (hist.get(v) ?? 0) + 1);
  }
  return {
    users: m.nUsers,
    items: m.nItems,
    ratings: m.length,
    density: m.length / Math.max(1, m.nUsers * m.nItems),
    mean: sum / Math.max(1, m.length),
    histogram: [...hist.entries()].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count })),
    perUser: quantiles(perUser),
    perUserHistogram: logHistogram(perUser),
    perItem: quantiles(perItem),
    emptyUsers: perUser.reduce((a, c) => a + (c === 0 ? 1 : 0), 0),
    emptyItems: perItem.reduce((a, c) => a + (c === 0 ? 1 : 0), 0),
  };
}
