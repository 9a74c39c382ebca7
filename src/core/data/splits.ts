import { Prng } from './prng';
import { IdMap, RatingMatrix } from './ratingMatrix';

/** How test ratings are chosen. `given` uses the dataset's own test part (a partner file or a .mat mask). */
export type SplitSpec =
  | { kind: 'auto' }
  | { kind: 'given' }
  | { kind: 'random'; testFraction: number; seed: number }
  /** by: what a fold holds out — rating pairs (default; the DTI setting CVS1), whole users (CVS3: targets), whole items (CVS2: drugs). */
  | { kind: 'kfold'; k: number; fold: number; seed: number; by?: 'pairs' | 'users' | 'items' }
  | { kind: 'chrono'; testFraction: number; valFraction?: number };

export function parseSplit(s: string): SplitSpec {
  const parts = s.trim().split(':');
  const num = (x: string | undefined, name: string): number => {
    const v = Number(x);
    if (x === undefined || x === '' || !Number.isFinite(v)) throw new Error(`split "${s}": ${name} must be a number`);
    return v;
  };
  switch (parts[0]) {
    case 'auto':
      return { kind: 'auto' };
    case 'given':
      return { kind: 'given' };
    case 'random': {
      const testFraction = num(parts[1] ?? '0.1', 'fraction');
      if (!(testFraction > 0 && testFraction < 1)) throw new Error(`split "${s}": fraction must be in (0, 1)`);
      return { kind: 'random', testFraction, seed: num(parts[2] ?? '1234', 'seed') };
    }
    case 'kfold':
    case 'cvs1':
    case 'cvs2':
    case 'cvs3': {
      const k = num(parts[1] ?? (parts[0] === 'kfold' ? '5' : '10'), 'k');
      const fold = num(parts[2] ?? '0', 'fold index');
      if (!Number.isInteger(k) || k < 2) throw new Error(`split "${s}": k must be an integer ≥ 2`);
      if (!Number.isInteger(fold) || fold < 0 || fold >= k) throw new Error(`split "${s}": fold index must be in 0..${k - 1}`);
      const by = parts[0] === 'cvs2' ? 'items' : parts[0] === 'cvs3' ? 'users' : 'pairs';
      return { kind: 'kfold', k, fold, seed: num(parts[3] ?? '1234', 'seed'), ...(parts[0] === 'kfold' ? {} : { by }) };
    }
    case 'chrono': {
      if (parts.length === 4) {
        // chrono:<train>:<val>:<test>, per user by time (the ranking protocol: chrono:0.7:0.1:0.2)
        const [tr, va, te] = [num(parts[1], 'train fraction'), num(parts[2], 'validation fraction'), num(parts[3], 'test fraction')];
        if (!(tr > 0 && va >= 0 && te > 0) || Math.abs(tr + va + te - 1) > 1e-9) throw new Error(`split "${s}": train, validation and test fractions must be positive (validation may be 0) and add up to 1`);
        return { kind: 'chrono', testFraction: te, valFraction: va };
      }
      if (parts.length > 2) throw new Error(`split "${s}": use chrono:<test fraction> or chrono:<train>:<val>:<test>`);
      const testFraction = num(parts[1] ?? '0.2', 'fraction');
      if (!(testFraction > 0 && testFraction < 1)) throw new Error(`split "${s}": fraction must be in (0, 1)`);
      return { kind: 'chrono', testFraction };
    }
    default:
      throw new Error(`unknown split "${s}" (use auto, given, random:<frac>:<seed>, kfold:<k>:<i>:<seed>, cvs1|cvs2|cvs3:<k>:<i>:<seed>, chrono:<frac> or chrono:<train>:<val>:<test>)`);
  }
}

export function splitToString(s: SplitSpec): string {
  switch (s.kind) {
    case 'auto': return 'auto';
    case 'given': return 'given';
    case 'random': return `random:${s.testFraction}:${s.seed}`;
    case 'kfold': return `${s.by === 'items' ? 'cvs2' : s.by === 'users' ? 'cvs3' : s.by === 'pairs' ? 'cvs1' : 'kfold'}:${s.k}:${s.fold}:${s.seed}`;
    case 'chrono': return s.valFraction !== undefined ? `chrono:${+(1 - s.testFraction - s.valFraction).toFixed(12)}:${s.valFraction}:${s.testFraction}` : `chrono:${s.testFraction}`;
  }
}

/** Random holdout: a seeded permutation; the first round(n·fraction) ratings become the held-out part. */
export function randomHoldout(m: RatingMatrix, fraction: number, seed: number): { train: RatingMatrix; test: RatingMatrix } {
  const perm = new Prng(seed).permutation(m.length);
  const nTest = Math.round(m.length * fraction);
  const test = perm.slice(0, nTest).sort();
  const train = perm.slice(nTest).sort();
  return { train: m.subset(train), test: m.subset(test) };
}

/** k-fold: a seeded permutation cut into k near-equal folds; fold `fold` is the test part. */
export function kFold(m: RatingMatrix, k: number, fold: number, seed: number): { train: RatingMatrix; test: RatingMatrix } {
  const perm = new Prng(seed).permutation(m.length);
  const lo = Math.floor((fold * m.length) / k);
  const hi = Math.floor(((fold + 1) * m.length) / k);
  const test = perm.slice(lo, hi).sort();
  const train = Int32Array.from([...perm.slice(0, lo), ...perm.slice(hi)]).sort();
  return { train: m.subset(train), test: m.subset(test) };
}

/**
 * k-fold over whole users or whole items (the DTI settings CVS3 / CVS2): the entities that have ratings, in a seeded
 * permutation, cut into k folds; fold `fold` holds out every rating of its entities.
 */
export function kFoldEntities(m: RatingMatrix, by: 'users' | 'items', k: number, fold: number, seed: number): { train: RatingMatrix; test: RatingMatrix } {
  const of = by === 'users' ? m.users : m.items;
  const n = by === 'users' ? m.nUsers : m.nItems;
  const present = new Uint8Array(n);
  for (let t = 0; t < m.length; t++) present[of[t]] = 1;
  const ids = Int32Array.from({ length: n }, (_, i) => i).filter((i) => present[i] === 1);
  const perm = new Prng(seed).permutation(ids.length);
  const lo = Math.floor((fold * ids.length) / k);
  const hi = Math.floor(((fold + 1) * ids.length) / k);
  const held = new Uint8Array(n);
  for (let x = lo; x < hi; x++) held[ids[perm[x]]] = 1;
  const train: number[] = [];
  const test: number[] = [];
  for (let t = 0; t < m.length; t++) (held[of[t]] ? test : train).push(t);
  return { train: m.subset(Int32Array.from(train)), test: m.subset(Int32Array.from(test)) };
}

/**
 * Per-user chronological split: each user's ratings sorted by timestamp (ties by position); the last
 * ceil(fraction·n_u) go to the test part, keeping at least one rating in train for users with ≥ 2 ratings.
 */
export function chronological(m: RatingMatrix, fraction: number): { train: RatingMatrix; test: RatingMatrix } {
  const ts = m.timestamps;
  if (!ts) throw new Error('a chronological split needs timestamps, and this dataset has none');
  const byUser: number[][] = Array.from({ length: m.nUsers }, () => []);
  for (let k = 0; k < m.length; k++) byUser[m.users[k]].push(k);
  const train: number[] = [];
  const test: number[] = [];
  for (const list of byUser) {
    list.sort((a, b) => ts[a] - ts[b] || a - b);
    let nTest = Math.ceil(list.length * fraction);
    if (list.length >= 2) nTest = Math.min(nTest, list.length - 1);
    else nTest = 0;
    const cut = list.length - nTest;
    for (let q = 0; q < list.length; q++) (q < cut ? train : test).push(list[q]);
  }
  return { train: m.subset(Int32Array.from(train).sort()), test: m.subset(Int32Array.from(test).sort()) };
}

/** Validation carve-out from the training ratings (seeded); never touches the test part. */
export function carveValidation(train: RatingMatrix, fraction: number, seed: number): { fit: RatingMatrix; val: RatingMatrix } {
  if (!(fraction > 0)) return { fit: train, val: train.subset([]) };
  if (fraction >= 1) throw new Error(`validation fraction must be < 1, got ${fraction}`);
  const { train: fit, test: val } = randomHoldout(train, fraction, seed);
  return { fit, val };
}

/**
 * Per-user chronological three-way split (the ranking protocol): each user's ratings sorted by timestamp (ties by
 * position); the first round(train·n) go to train (at least one), the next up to round((train + val)·n) to
 * validation, the rest to test.
 */
export function chronological3(m: RatingMatrix, valFraction: number, testFraction: number): { train: RatingMatrix; val: RatingMatrix; test: RatingMatrix } {
  const ts = m.timestamps;
  if (!ts) throw new Error('a chronological split needs timestamps, and this dataset has none');
  const byUser: number[][] = Array.from({ length: m.nUsers }, () => []);
  for (let k = 0; k < m.length; k++) byUser[m.users[k]].push(k);
  const parts: number[][] = [[], [], []];
  const trainFraction = 1 - valFraction - testFraction;
  for (const list of byUser) {
    if (list.length === 0) continue;
    list.sort((a, b) => ts[a] - ts[b] || a - b);
    const n = list.length;
    const cutTrain = Math.min(n, Math.max(1, Math.round(trainFraction * n)));
    const cutVal = Math.min(n, Math.max(cutTrain, Math.round((trainFraction + valFraction) * n)));
    for (let q = 0; q < n; q++) parts[q < cutTrain ? 0 : q < cutVal ? 1 : 2].push(list[q]);
  }
  const [train, val, test] = parts.map((p) => m.subset(Int32Array.from(p).sort()));
  return { train, val, test };
}

/**
 * Keeps users with at least minUsers interactions and items with at least minItems, removing both repeatedly
 * until no more fall below (a removed item lowers its users' counts, and the other way round). The result is in a
 * compacted index space: kept ids only, still in ascending id order.
 */
export function filterMinInteractions(parts: RatingMatrix[], minUsers: number, minItems: number): { parts: RatingMatrix[]; users: number; items: number; rounds: number } {
  const all = RatingMatrix.concat(parts);
  const nU = all.nUsers;
  const nI = all.nItems;
  const keepU = new Uint8Array(nU).fill(1);
  const keepI = new Uint8Array(nI).fill(1);
  let rounds = 0;
  for (;;) {
    rounds++;
    const cu = new Int32Array(nU);
    const ci = new Int32Array(nI);
    for (let k = 0; k < all.length; k++) {
      const u = all.users[k];
      const i = all.items[k];
      if (keepU[u] && keepI[i]) { cu[u]++; ci[i]++; }
    }
    let changed = false;
    for (let u = 0; u < nU; u++) if (keepU[u] && cu[u] < minUsers) { keepU[u] = 0; changed = true; }
    for (let i = 0; i < nI; i++) if (keepI[i] && ci[i] < minItems) { keepI[i] = 0; changed = true; }
    if (!changed) break;
  }
  const userIds = new IdMap(all.userIds.ids.filter((_, u) => keepU[u] === 1));
  const itemIds = new IdMap(all.itemIds.ids.filter((_, i) => keepI[i] === 1));
  const uMap = new Int32Array(nU).fill(-1);
  const iMap = new Int32Array(nI).fill(-1);
  for (let u = 0, n = 0; u < nU; u++) if (keepU[u]) uMap[u] = n++;
  for (let i = 0, n = 0; i < nI; i++) if (keepI[i]) iMap[i] = n++;
  const out = parts.map((m) => {
    const idx: number[] = [];
    for (let k = 0; k < m.length; k++) if (keepU[m.users[k]] && keepI[m.items[k]]) idx.push(k);
    const sub = m.subset(idx);
    const u = sub.users.map((x) => uMap[x]);
    const it = sub.items.map((x) => iMap[x]);
    return new RatingMatrix(u, it, sub.values, userIds, itemIds, sub.timestamps);
  });
  return { parts: out, users: userIds.size, items: itemIds.size, rounds };
}
