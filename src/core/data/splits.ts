import { Prng } from './prng';
import { RatingMatrix } from './ratingMatrix';

/** How test ratings are chosen. `given` uses the dataset's own test part (a partner file or a .mat mask). */
export type SplitSpec =
  | { kind: 'auto' }
  | { kind: 'given' }
  | { kind: 'random'; testFraction: number; seed: number }
  | { kind: 'kfold'; k: number; fold: number; seed: number }
  | { kind: 'chrono'; testFraction: number };

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
    case 'kfold': {
      const k = num(parts[1] ?? '5', 'k');
      const fold = num(parts[2] ?? '0', 'fold index');
      if (!Number.isInteger(k) || k < 2) throw new Error(`split "${s}": k must be an integer ≥ 2`);
      if (!Number.isInteger(fold) || fold < 0 || fold >= k) throw new Error(`split "${s}": fold index must be in 0..${k - 1}`);
      return { kind: 'kfold', k, fold, seed: num(parts[3] ?? '1234', 'seed') };
    }
    case 'chrono': {
      const testFraction = num(parts[1] ?? '0.2', 'fraction');
      if (!(testFraction > 0 && testFraction < 1)) throw new Error(`split "${s}": fraction must be in (0, 1)`);
      return { kind: 'chrono', testFraction };
    }
    default:
      throw new Error(`unknown split "${s}" (use auto, given, random:<frac>:<seed>, kfold:<k>:<i>:<seed> or chrono:<frac>)`);
  }
}

export function splitToString(s: SplitSpec): string {
  switch (s.kind) {
    case 'auto': return 'auto';
    case 'given': return 'given';
    case 'random': return `random:${s.testFraction}:${s.seed}`;
    case 'kfold': return `kfold:${s.k}:${s.fold}:${s.seed}`;
    case 'chrono': return `chrono:${s.testFraction}`;
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
