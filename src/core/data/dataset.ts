import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { DatasetError } from './errors';
import { parseTextRatings, RawRatings, readHead, isHdf5, TextLayout } from './textFormat';
import { readMatDataset, SparseGraph } from './matFile';
import { DTI_KNN, isYamanishiFile, readYamanishi } from './yamanishi';
import { checkInputFile } from './inputFile';
import { buildRatingMatrix, detectScale, IdMap, RatingMatrix, RatingScale } from './ratingMatrix';
import { datasetName } from './names';
import { SplitSpec, randomHoldout, kFold, kFoldEntities, chronological, chronological3, carveValidation, filterMinInteractions } from './splits';

export { datasetName };

export type FormatName = 'auto' | 'movielens' | 'movielens-dat' | 'csv' | 'tsv' | 'mat' | 'yamanishi';

export interface LoadOptions {
  /** The file the user opened (train part, or the only file). */
  train: string;
  /** Explicit test file; when absent a partner is looked for (u1.base ↔ u1.test, x.train.csv ↔ x.test.csv). */
  test?: string;
  format?: FormatName;
  /** Ratings outside it are errors; detected when absent. */
  scale?: { min: number; max: number };
  /** Look for a partner test file (default true). */
  findPartner?: boolean;
  /** Memory limit in bytes: a dataset that needs more (dense .mat matrices) is refused before it is read. */
  maxBytes?: number;
}

export interface LoadedDataset {
  name: string;
  format: string;
  files: { role: 'train' | 'test' | 'all'; path: string; sha256: string }[];
  /** Ratings of the training file (or of the only file). */
  train: RatingMatrix;
  /** Ratings of the test file or .mat test mask, when the dataset brings its own split. */
  test?: RatingMatrix;
  scale: RatingScale;
  userGraph?: SparseGraph;
  itemGraph?: SparseGraph;
  warnings: string[];
}

const PARTNER_RULES: [RegExp, string, string][] = [
  [/^(u\d|u[ab])\.base$/i, '.base', '.test'],
  [/^(u\d|u[ab])\.test$/i, '.test', '.base'],
];

/** Finds the partner of a split file and says which of the two is the test part. */
export function findPartner(file: string): { train: string; test: string } | undefined {
  const dir = path.dirname(file);
  const base = path.basename(file);
  for (const [re, from, to] of PARTNER_RULES) {
    if (re.test(base)) {
      const other = path.join(dir, base.slice(0, -from.length) + to);
      if (!fs.existsSync(other)) return undefined;
      return from === '.base' ? { train: file, test: other } : { train: other, test: file };
    }
  }
  // generic: name containing train/training ↔ test/testing as a whole word part
  const generic: [RegExp, (s: string) => string, boolean][] = [
    [/(^|[._-])(train|training)([._-])/i, (s) => s.replace(/(^|[._-])(train|training)([._-])/i, (_m, a, w: string, b) => a + (w.toLowerCase() === 'training' ? 'testing' : 'test') + b), true],
    [/(^|[._-])(test|testing)([._-])/i, (s) => s.replace(/(^|[._-])(test|testing)([._-])/i, (_m, a, w: string, b) => a + (w.toLowerCase() === 'testing' ? 'training' : 'train') + b), false],
  ];
  for (const [re, swap, isTrain] of generic) {
    if (re.test(base)) {
      const other = path.join(dir, swap(base));
      if (other === file || !fs.existsSync(other)) continue;
      return isTrain ? { train: file, test: other } : { train: other, test: file };
    }
  }
  return undefined;
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file, { highWaterMark: 4 << 20 })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return h.digest('hex');
}

function isMatFile(file: string): boolean {
  if (file.toLowerCase().endsWith('.mat')) return true;
  try {
    return isHdf5(readHead(file, 4096));
  } catch {
    return false;
  }
}

function layoutFor(format: FormatName | undefined): TextLayout | undefined {
  switch (format) {
    case 'movielens': return { kind: 'movielens', delimiter: '\t', header: false, columns: { user: 0, item: 1, rating: 2, timestamp: 3 } };
    case 'movielens-dat': return { kind: 'movielens-dat', delimiter: '::', header: false, columns: { user: 0, item: 1, rating: 2, timestamp: 3 } };
    default: return undefined; // csv/tsv keep detection of header and columns; the delimiter is checked below
  }
}

function layoutName(r: RawRatings): string {
  return r.layout.kind;
}

/** Loads a dataset: one or two text files, or a .mat file with its own split. */
export async function loadDataset(opts: LoadOptions): Promise<LoadedDataset> {
  const warnings: string[] = [];
  const trainPath = path.resolve(opts.train);
  // a regular file, before anything opens it (a FIFO or a link to /dev/zero would block or never end)
  checkInputFile(trainPath);
  if (opts.format === 'mat' || (opts.format !== undefined && opts.format !== 'auto' ? false : isMatFile(trainPath))) {
    return loadMat(trainPath, warnings, opts.maxBytes);
  }
  if (opts.format === 'yamanishi' || ((opts.format === undefined || opts.format === 'auto') && isYamanishiFile(trainPath))) {
    return loadYamanishi(trainPath, warnings);
  }
  let trainFile = trainPath;
  let testFile = opts.test ? path.resolve(opts.test) : undefined;
  if (!testFile && opts.findPartner !== false) {
    const p = findPartner(trainPath);
    if (p) {
      trainFile = p.train;
      testFile = p.test;
    }
  }
  if (testFile) checkInputFile(testFile);
  const layout = layoutFor(opts.format);
  const rawTrain = parseTextRatings(trainFile, { layout, scale: opts.scale });
  if (opts.format === 'csv' && rawTrain.layout.kind !== 'csv') throw DatasetError.single(trainFile, `format csv was asked for, but the file is ${rawTrain.layout.kind}`);
  if (opts.format === 'tsv' && rawTrain.layout.kind !== 'tsv' && rawTrain.layout.kind !== 'movielens') throw DatasetError.single(trainFile, `format tsv was asked for, but the file is ${rawTrain.layout.kind}`);
  let rawTest: RawRatings | undefined;
  if (testFile) {
    rawTest = parseTextRatings(testFile, { layout, scale: opts.scale });
    const a = rawTrain.layout as TextLayout;
    const b = rawTest.layout as TextLayout;
    if (a.delimiter !== b.delimiter || a.header !== b.header) {
      throw new DatasetError([
        { file: testFile, line: 1, problem: `train and test files have different formats: ${trainFile} is ${layoutName(rawTrain)} (delimiter ${JSON.stringify(a.delimiter)}${a.header ? ', header' : ''}), this file is ${layoutName(rawTest)} (delimiter ${JSON.stringify(b.delimiter)}${b.header ? ', header' : ''})` },
      ]);
    }
  }
  const parts = rawTest ? [rawTrain, rawTest] : [rawTrain];
  const userIds = IdMap.fromArrays(parts.map((p) => p.userIds));
  const itemIds = IdMap.fromArrays(parts.map((p) => p.itemIds));
  const tr = buildRatingMatrix(rawTrain, userIds, itemIds);
  const te = rawTest ? buildRatingMatrix(rawTest, userIds, itemIds) : undefined;
  for (const [d, f] of [[tr.duplicates, trainFile], [te?.duplicates, testFile]] as const) {
    if (d && d.count > 0) warnings.push(`${f}: ${d.count} duplicate (user, item) pair(s); kept the last of each, e.g. ${d.examples.join('; ')}`);
  }
  if (te) {
    const overlap = countOverlap(tr.matrix, te.matrix);
    if (overlap > 0) warnings.push(`${overlap} (user, item) pair(s) appear in both ${path.basename(trainFile)} and ${path.basename(testFile as string)}`);
  }
  const detected = detectScale(parts.map((p) => p.values));
  const scale = opts.scale ? { ...opts.scale, step: detected.step } : detected;
  const files: LoadedDataset['files'] = [{ role: testFile ? 'train' : 'all', path: trainFile, sha256: await sha256File(trainFile) }];
  if (testFile) files.push({ role: 'test', path: testFile, sha256: await sha256File(testFile) });
  return {
    name: datasetName(trainFile, testFile),
    format: layoutName(rawTrain),
    files,
    train: tr.matrix,
    test: te?.matrix,
    scale,
    warnings,
  };
}

function countOverlap(a: RatingMatrix, b: RatingMatrix): number {
  const seen = new Set<number>();
  for (let k = 0; k < a.length; k++) seen.add(a.users[k] * a.nItems + a.items[k]);
  let n = 0;
  for (let k = 0; k < b.length; k++) if (seen.has(b.users[k] * b.nItems + b.items[k])) n++;
  return n;
}

async function loadMat(file: string, warnings: string[], maxBytes?: number): Promise<LoadedDataset> {
  const mat = await readMatDataset(file, { maxBytes });
  const { rows, cols } = mat;
  const userIds = new IdMap(Array.from({ length: rows }, (_, i) => i + 1));
  const itemIds = new IdMap(Array.from({ length: cols }, (_, j) => j + 1));
  const collect = (mask: Float64Array) => {
    const u: number[] = [];
    const it: number[] = [];
    const v: number[] = [];
    let zeroRated = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        if (mask[k] === 0) continue;
        if (mat.M[k] === 0) { zeroRated++; continue; }
        u.push(i); it.push(j); v.push(mat.M[k]);
      }
    }
    if (zeroRated) warnings.push(`${file}: ${zeroRated} masked entries have rating 0 in M and were skipped`);
    return new RatingMatrix(Int32Array.from(u), Int32Array.from(it), Float32Array.from(v), userIds, itemIds);
  };
  const train = collect(mat.Otraining);
  const test = collect(mat.Otest);
  if (train.length === 0) throw DatasetError.single(file, 'Otraining selects no ratings');
  if (test.length === 0) throw DatasetError.single(file, 'Otest selects no ratings: the test part is empty');
  return {
    name: path.basename(file).replace(/\.mat$/i, ''),
    format: 'mat',
    files: [{ role: 'all', path: file, sha256: await sha256File(file) }],
    train,
    test,
    scale: detectScale([train.values, test.values]),
    userGraph: mat.userGraph,
    itemGraph: mat.itemGraph,
    warnings,
  };
}

/** A Yamanishi drug–target set: every (target, drug) pair is an observation, 1 = interaction (./yamanishi.ts). */
async function loadYamanishi(file: string, warnings: string[]): Promise<LoadedDataset> {
  const d = readYamanishi(file);
  const nT = d.targets.length;
  const nD = d.drugs.length;
  const userIds = new IdMap(Array.from({ length: nT }, (_, i) => i + 1));
  const itemIds = new IdMap(Array.from({ length: nD }, (_, j) => j + 1));
  const users = new Int32Array(nT * nD);
  const items = new Int32Array(nT * nD);
  for (let i = 0; i < nT; i++) for (let j = 0; j < nD; j++) { users[i * nD + j] = i; items[i * nD + j] = j; }
  const train = new RatingMatrix(users, items, Float32Array.from(d.interactions), userIds, itemIds);
  const ones = d.interactions.reduce((s, v) => s + v, 0);
  warnings.push(`${d.name}: ${nT} targets × ${nD} drugs, ${ones} interactions (${((100 * ones) / (nT * nD)).toFixed(2)}%); similarities → ${DTI_KNN}-nearest-neighbour graphs (the spectral models' similarityKnn changes k); ids are positions (target 1 = ${d.targets[0]}, drug 1 = ${d.drugs[0]})`);
  return {
    name: d.name,
    format: 'yamanishi',
    files: await Promise.all(d.files.map(async (f, k) => ({ role: (k === 0 ? 'all' : 'train') as 'all' | 'train', path: f, sha256: await sha256File(f) }))),
    train,
    scale: { min: 0, max: 1, step: 1 },
    userGraph: d.targetGraph,
    itemGraph: d.drugGraph,
    warnings,
  };
}

export interface PreparedSplit {
  /** Ratings the model is fitted on (training minus validation). */
  fit: RatingMatrix;
  /** Validation ratings carved from training (may be empty when the fraction is 0). */
  val: RatingMatrix;
  test: RatingMatrix;
  /** Full training part (fit ∪ val). */
  train: RatingMatrix;
  /** What the filter and split did, for the run log. */
  notes: string[];
}

/**
 * Applies the minimum-interactions filter (when given), a split and the validation carve-out (MODELS.md
 * "Protocol"). A three-way chronological split brings its own validation part; the carve-out is then not used.
 */
export function prepareSplit(ds: LoadedDataset, split: SplitSpec, valFraction: number, valSeed: number, minInteractions?: { users: number; items: number }): PreparedSplit {
  let train: RatingMatrix;
  let test: RatingMatrix;
  const notes: string[] = [];
  let dsTrain = ds.train;
  let dsTest = ds.test;
  if (minInteractions && (minInteractions.users > 1 || minInteractions.items > 1)) {
    const before = RatingMatrix.concat(dsTest ? [dsTrain, dsTest] : [dsTrain]);
    const f = filterMinInteractions(dsTest ? [dsTrain, dsTest] : [dsTrain], minInteractions.users, minInteractions.items);
    [dsTrain, dsTest] = [f.parts[0], f.parts[1]];
    const kept = f.parts.reduce((s, p) => s + p.length, 0);
    notes.push(`minimum interactions ${minInteractions.users} per user, ${minInteractions.items} per item (${f.rounds} rounds): kept ${f.users} of ${before.nUsers} users, ${f.items} of ${before.nItems} items, ${kept} of ${before.length} ratings`);
    if (kept === 0) throw Object.assign(new Error(`no ratings are left after the minimum-interactions filter (${minInteractions.users} per user, ${minInteractions.items} per item)`), { input: true });
  }
  const all = dsTest ? RatingMatrix.concat([dsTrain, dsTest]) : dsTrain;
  if (split.kind === 'auto') split = dsTest ? { kind: 'given' } : { kind: 'random', testFraction: 0.1, seed: 1234 };
  if (split.kind === 'chrono' && split.valFraction !== undefined) {
    const p = chronological3(all, split.valFraction, split.testFraction);
    notes.push(`per-user chronological split: ${p.train.length} train, ${p.val.length} validation, ${p.test.length} test (the validation part comes from the split; no random carve-out)`);
    return { fit: p.train, val: p.val, test: p.test, train: RatingMatrix.concat([p.train, p.val]), notes };
  }
  switch (split.kind) {
    case 'given':
      if (!dsTest) throw new Error(`dataset ${ds.name} has no test file; choose a split (random:<frac>:<seed>, kfold:<k>:<i>:<seed>, chrono:<frac>) or give --test`);
      train = dsTrain;
      test = dsTest;
      break;
    case 'random':
      ({ train, test } = randomHoldout(all, split.testFraction, split.seed));
      break;
    case 'kfold':
      ({ train, test } = split.by && split.by !== 'pairs' ? kFoldEntities(all, split.by, split.k, split.fold, split.seed) : kFold(all, split.k, split.fold, split.seed));
      break;
    case 'chrono':
      ({ train, test } = chronological(all, split.testFraction));
      break;
  }
  const { fit, val } = carveValidation(train, valFraction, valSeed);
  return { fit, val, test, train, notes };
}
