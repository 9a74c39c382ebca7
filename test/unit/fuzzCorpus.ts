/**
 * A seeded generator of malformed inputs for the CLI (test/unit/fuzz.test.ts): broken and hostile ratings text,
 * bit flips and truncations of valid files, MATLAB v7.3 files (written here with h5wasm) with every structural
 * fault the reader must catch, special files (FIFO, device links, folders, sockets, link loops) and run-folder
 * trust cases. Every case says which outcomes are acceptable:
 *   'input'  — exit 2, the file named, no run folder
 *   'either' — exit 2 as above, or a documented accept (exit 0): a bit flip that leaves a valid file (a digit
 *              flipped into another digit; a flip in HDF5 bytes the data never depend on — the test then checks
 *              that everything read equals the original). The .mat files are written as MATLAB writes v7.3:
 *              chunked and gzip-compressed, so a flipped data byte fails zlib's checksum and is refused.
 * Never: exit 1, a stack trace, a hang, a run folder for bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as net from 'net';
import { Prng } from '../../src/core/data/prng';

export interface FuzzCase {
  name: string;
  cls: string;
  /** The input (or, for run-folder cases, the id) the message must name. */
  file: string;
  /** A whole CLI command instead of `train --train <file>` (run-folder trust cases). */
  command?: string[];
  expect: 'input' | 'either';
  /** For bit flips of a .mat file: the original, whose data an accepted flip must reproduce exactly. */
  original?: string;
}

const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>;

/** A valid small ratings file: users × items with ratings 1–5 and timestamps (deterministic). */
function validRows(rng: Prng, users = 30, items = 25, n = 300): string[] {
  const seen = new Set<string>();
  const rows: string[] = [];
  while (rows.length < n) {
    const u = 1 + rng.int(users);
    const i = 1 + rng.int(items);
    if (seen.has(`${u}:${i}`)) continue;
    seen.add(`${u}:${i}`);
    rows.push(`${u}\t${i}\t${1 + rng.int(5)}\t${880000000 + rows.length}`);
  }
  return rows;
}

/** Text faults: each replaces one line (at a random position) with a hostile one; all must be refused. */
const TEXT_FAULTS: [string, (rng: Prng) => string][] = [
  ['non-numeric user', () => 'abc\t3\t4\t880000000'],
  ['non-numeric item', () => '3\tx1\t4\t880000000'],
  ['non-numeric rating', () => '3\t4\tfive\t880000000'],
  ['fractional user id', () => '1.5\t4\t4\t880000000'],
  ['fractional item id', () => '2\t4.25\t4\t880000000'],
  ['user id beyond 2^53', () => '9007199254740993\t4\t4\t880000000'],
  ['item id 1e300', () => '3\t1e300\t4\t880000000'],
  ['rating NaN', () => '3\t4\tNaN\t880000000'],
  ['rating Infinity', () => '3\t4\tInfinity\t880000000'],
  ['rating rounds to 0 in float32', () => '3\t4\t1e-50\t880000000'],
  ['rating overflows float32', () => '3\t4\t1e40\t880000000'],
  ['negative rating', () => '3\t4\t-2\t880000000'],
  ['zero rating', () => '3\t4\t0\t880000000'],
  ['too few fields', () => '3\t4'],
  ['too many fields', () => '3\t4\t4\t880000000\t9\t9'],
  ['bad timestamp', () => '3\t4\t4\tyesterday-ish'],
  ['empty user field', () => '\t4\t4\t880000000'],
  ['hex rating', () => '3\t4\t0x4\t880000000'],
  ['comma decimal', () => '3\t4\t3,5\t880000000'],
  ['rating with unit', () => '3\t4\t4stars\t880000000'],
  ['unicode digits', () => '３\t4\t4\t880000000'],
  ['control characters', () => '3\t4\t4\u0007\t880000000'],
  ['random garbage', (rng) => Array.from({ length: 12 }, () => String.fromCharCode(33 + rng.int(90))).join('')],
];

function textCases(dir: string, rng: Prng, out: FuzzCase[]): void {
  const base = validRows(rng);
  // every fault at three positions: first line, a middle line, the last line
  for (const [name, make] of TEXT_FAULTS) {
    for (const where of ['first', 'second', 'middle', 'last'] as const) {
      const rows = [...base];
      const at = where === 'first' ? 0 : where === 'second' ? 1 : where === 'last' ? rows.length - 1 : 2 + rng.int(rows.length - 3);
      rows[at] = make(rng);
      const f = path.join(dir, `text-${out.length}.tsv`);
      fs.writeFileSync(f, rows.join('\n') + '\n');
      out.push({ name: `${name} (${where} line)`, cls: 'text: bad line', file: f, expect: 'input' });
    }
  }
  const whole: [string, string | Buffer][] = [
    ['empty file', ''],
    ['blank lines only', '\n\n   \n'],
    ['header only', 'user,item,rating\n'],
    ['one rating (no test part)', '1\t1\t4\t880000000\n'],
    ['binary garbage', Buffer.from(Array.from({ length: 4096 }, () => rng.int(256)))],
    ['NUL bytes', Buffer.concat([Buffer.from(base.slice(0, 10).join('\n')), Buffer.alloc(64), Buffer.from('\n')])],
    ['one line without breaks (2 MiB)', 'x'.repeat(2 * 2 ** 20)],
    ['MATLAB v5 header', Buffer.concat([Buffer.from('MATLAB 5.0 MAT-file, Platform: posix, Created on: Mon Jan  1 00:00:00 2024'.padEnd(116, ' ')), Buffer.alloc(400)])],
    ['HDF5 signature in a .tsv', Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600)])],
    ['CSV header without a rating column', 'user,item,score_x\n1,2,3\n2,3,4\n'],
    ['mixed delimiters', base.slice(0, 50).map((r, i) => (i % 2 ? r.replace(/\t/g, ',') : r)).join('\n') + '\n'],
    ['all ratings zero', base.map((r) => r.replace(/\t\d\t/, '\t0\t')).join('\n') + '\n'],
    ['UTF-16 text', Buffer.from('\ufeff' + base.slice(0, 20).join('\n'), 'utf16le')],
  ];
  for (const [name, text] of whole) {
    const f = path.join(dir, `whole-${out.length}.tsv`);
    fs.writeFileSync(f, text);
    out.push({ name, cls: 'text: whole file', file: f, expect: 'input' });
  }
  // truncations of a valid file in the middle of a line: the last line is incomplete (too few fields)
  const valid = base.join('\n') + '\n';
  for (let k = 0; k < 15; k++) {
    const cut = 20 + rng.int(valid.length - 40);
    const f = path.join(dir, `trunc-${out.length}.tsv`);
    const line = valid.slice(0, cut).split('\n').at(-1) as string;
    fs.writeFileSync(f, valid.slice(0, cut));
    // a cut inside the timestamp (or at a line end) leaves valid lines; anywhere else a field is missing or empty
    const fields = line.split('\t');
    const valid4 = line === '' || (fields.length === 4 && fields[3] !== '');
    out.push({ name: `truncated at byte ${cut}`, cls: 'text: truncated', file: f, expect: valid4 ? 'either' : 'input' });
  }
  // bit flips of a valid file: a digit may become another digit (a valid file); anything else is refused
  for (let k = 0; k < 60; k++) {
    const b = Buffer.from(valid);
    const pos = rng.int(b.length);
    b[pos] ^= 1 << rng.int(8);
    const f = path.join(dir, `flip-${out.length}.tsv`);
    fs.writeFileSync(f, b);
    out.push({ name: `bit flip at byte ${pos}`, cls: 'text: bit flip', file: f, expect: 'either' });
  }
}

/** A valid Monti-style v7.3 file: M (users × items), Otraining, Otest, a sparse user graph and a dense item graph. */
async function writeMat(h5: any, vpath: string, o: { users?: number; items?: number; mutate?: (parts: MatParts) => void } = {}): Promise<Buffer> {
  const U = o.users ?? 12;
  const I = o.items ?? 10;
  const rng = new Prng(99);
  const parts: MatParts = { U, I, M: new Float64Array(U * I), tr: new Float64Array(U * I), te: new Float64Array(U * I), jc: [], ir: [], data: [], graphN: U, itemGraph: new Float64Array(I * I), itemGraphN: I, keys: ['M', 'Otraining', 'Otest', 'W_users', 'W_movies'], sparseRows: U };
  for (let k = 0; k < U * I; k++) {
    if (rng.next() < 0.6) {
      parts.M[k] = 1 + rng.int(5);
      if (rng.next() < 0.8) parts.tr[k] = 1;
      else parts.te[k] = 1;
    }
  }
  // user graph: a ring, CSC over columns
  for (let j = 0; j < U; j++) {
    parts.jc.push(parts.ir.length);
    for (const i of [(j + U - 1) % U, (j + 1) % U].sort((a, b) => a - b)) { parts.ir.push(i); parts.data.push(1); }
  }
  parts.jc.push(parts.ir.length);
  for (let a = 0; a < I; a++) for (let b = 0; b < I; b++) if (Math.abs(a - b) === 1) parts.itemGraph[a * I + b] = 1;
  o.mutate?.(parts);
  const f = new h5.File(vpath, 'w');
  // MATLAB stores column-major: the HDF5 dataset is [cols][rows]
  const colMajor = (m: Float64Array, rows: number, cols: number) => {
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
    return out;
  };
  // as MATLAB writes v7.3 variables: chunked and gzip-compressed (zlib's Adler-32 makes a flipped data byte detectable)
  const dense = (name: string, m: Float64Array, rows: number, cols: number) => {
    if (!parts.keys.includes(name)) return;
    f.create_dataset({ name, data: colMajor(m, rows, cols), shape: [cols, rows], chunks: [cols, rows], compression: 'gzip', compression_opts: 6 });
  };
  dense('M', parts.M, parts.U, parts.I);
  dense('Otraining', parts.tr, parts.maskRows ?? parts.U, parts.I);
  dense('Otest', parts.te, parts.maskRows ?? parts.U, parts.I);
  if (parts.keys.includes('W_users')) {
    const g = f.create_group('W_users');
    const z = (n: number) => ({ chunks: [n], compression: 'gzip' as const, compression_opts: 6 });
    g.create_dataset({ name: 'jc', data: BigUint64Array.from(parts.jc.map((x) => BigInt(Math.max(0, Math.min(x, 2 ** 40))))), shape: [parts.jc.length], ...z(parts.jc.length) });
    g.create_dataset({ name: 'ir', data: BigUint64Array.from(parts.ir.map((x) => BigInt(Math.max(0, x)))), shape: [parts.ir.length], ...z(parts.ir.length) });
    g.create_dataset({ name: 'data', data: Float64Array.from(parts.data), shape: [parts.data.length], ...z(parts.data.length) });
    g.create_attribute('MATLAB_sparse', new BigUint64Array([BigInt(parts.sparseRows)]), [], '<Q');
  }
  dense('W_movies', parts.itemGraph, parts.itemGraphN, parts.itemGraphN);
  f.close();
  const bytes = Buffer.from(h5.FS.readFile(vpath));
  h5.FS.unlink(vpath);
  return bytes;
}

interface MatParts {
  U: number;
  I: number;
  M: Float64Array;
  tr: Float64Array;
  te: Float64Array;
  jc: number[];
  ir: number[];
  data: number[];
  graphN: number;
  itemGraph: Float64Array;
  itemGraphN: number;
  keys: string[];
  sparseRows: number;
  /** Rows of the masks when they differ from M's (a reshaped file). */
  maskRows?: number;
}

async function matCases(dir: string, rng: Prng, out: FuzzCase[]): Promise<void> {
  const h5 = await importEsm('h5wasm/node');
  await h5.ready;
  const faults: [string, (p: MatParts) => void][] = [
    ['M holds NaN', (p) => { p.M[3] = NaN; p.tr[3] = 1; p.te[3] = 0; }],
    ['M holds Infinity', (p) => { p.M[5] = Infinity; }],
    ['M holds a negative rating', (p) => { p.M[7] = -3; }],
    ['M holds 1e-60', (p) => { p.M[8] = 1e-60; }],
    ['M holds 1e300', (p) => { p.M[9] = 1e300; }],
    ['Otraining holds 2', (p) => { p.tr[4] = 2; }],
    ['Otest holds 0.5', (p) => { p.te[6] = 0.5; }],
    ['Otraining holds NaN', (p) => { p.tr[2] = NaN; }],
    ['masks overlap', (p) => { for (let k = 0; k < p.tr.length; k++) if (p.tr[k]) { p.te[k] = 1; break; } }],
    ['Otest selects nothing', (p) => p.te.fill(0)],
    ['Otraining selects nothing', (p) => p.tr.fill(0)],
    ['M missing', (p) => { p.keys = p.keys.filter((k) => k !== 'M'); }],
    ['Otest missing', (p) => { p.keys = p.keys.filter((k) => k !== 'Otest'); }],
    ['masks a different size from M', (p) => { p.maskRows = p.U + 1; p.tr = new Float64Array((p.U + 1) * p.I).fill(0); p.tr[0] = 1; p.te = new Float64Array((p.U + 1) * p.I); p.te[1] = 1; }],
    ['jc decreasing', (p) => { p.jc[3] = p.jc[4] + 3; }],
    ['jc not starting at 0', (p) => { p.jc[0] = 1; }],
    ['jc ends beyond ir', (p) => { p.jc[p.jc.length - 1] += 5; }],
    ['jc huge', (p) => { p.jc[p.jc.length - 1] = 2 ** 40; }],
    ['ir beyond the rows', (p) => { p.ir[5] = p.U + 7; }],
    ['ir and data lengths differ', (p) => { p.data.push(1, 1); }],
    ['sparse graph of the wrong size', (p) => { p.sparseRows = p.U + 3; }],
    ['dense item graph of the wrong size', (p) => { p.itemGraphN = p.I + 2; p.itemGraph = new Float64Array(p.itemGraphN ** 2); }],
    ['graph holds NaN', (p) => { p.itemGraph[1] = NaN; }],
    ['graph value Infinity in sparse data', (p) => { p.data[2] = Infinity; }],
  ];
  for (const [name, mutate] of faults) {
    const f = path.join(dir, `mat-${out.length}.mat`);
    fs.writeFileSync(f, await writeMat(h5, `/fuzz-${out.length}.mat`, { mutate }));
    out.push({ name, cls: 'mat: structure', file: f, expect: 'input' });
  }
  const valid = await writeMat(h5, '/fuzz-valid.mat');
  const validFile = path.join(dir, 'mat-valid.mat');
  fs.writeFileSync(validFile, valid);
  // truncations: the HDF5 structure or data is cut off
  for (let k = 0; k < 30; k++) {
    const cut = 1 + rng.int(valid.length - 1);
    const f = path.join(dir, `mat-trunc-${out.length}.mat`);
    fs.writeFileSync(f, valid.subarray(0, cut));
    out.push({ name: `truncated at byte ${cut} of ${valid.length}`, cls: 'mat: truncated', file: f, expect: 'input' });
  }
  // reshaped: the whole file shifted by a few bytes (a broken download)
  for (const shift of [1, 7, 512]) {
    const f = path.join(dir, `mat-shift-${out.length}.mat`);
    fs.writeFileSync(f, Buffer.concat([Buffer.alloc(shift), valid]));
    out.push({ name: `shifted by ${shift} bytes`, cls: 'mat: reshaped', file: f, expect: shift === 512 ? 'either' : 'input' });
  }
  for (let k = 0; k < 60; k++) {
    const b = Buffer.from(valid);
    const pos = rng.int(b.length);
    b[pos] ^= 1 << rng.int(8);
    const f = path.join(dir, `mat-flip-${out.length}.mat`);
    fs.writeFileSync(f, b);
    out.push({ name: `bit flip at byte ${pos}`, cls: 'mat: bit flip', file: f, expect: 'either', original: validFile });
  }
  // the Synthetic Netflix file of Monti et al. (compressed chunks), when the shared datasets are present
  const netflix = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'datasets', 'synthetic-netflix', 'synthetic_netflix.mat');
  if (fs.existsSync(netflix)) {
    const src = fs.readFileSync(netflix);
    for (let k = 0; k < 50; k++) {
      const b = Buffer.from(src);
      const pos = rng.int(b.length);
      b[pos] ^= 1 << rng.int(8);
      const f = path.join(dir, `netflix-flip-${out.length}.mat`);
      fs.writeFileSync(f, b);
      out.push({ name: `Synthetic Netflix bit flip at byte ${pos}`, cls: 'mat: Synthetic Netflix bit flip', file: f, expect: 'either', original: netflix });
    }
  }
}

async function specialCases(dir: string, out: FuzzCase[]): Promise<() => void> {
  const add = (name: string, file: string) => out.push({ name, cls: 'special file', file, expect: 'input' });
  const fifo = path.join(dir, 'pipe.tsv');
  const { execFileSync } = await import('child_process');
  try {
    execFileSync('mkfifo', [fifo]);
    add('a FIFO', fifo);
  } catch {
    /* no mkfifo: skipped */
  }
  const links: [string, string][] = [['/dev/zero', 'zero.tsv'], ['/dev/null', 'null.tsv'], ['/dev/urandom', 'urandom.mat'], ['/nonexistent/nothing.tsv', 'dangling.tsv'], [dir, 'folder-link.tsv']];
  for (const [target, name] of links) {
    const p = path.join(dir, name);
    fs.symlinkSync(target, p);
    add(`a link to ${target}`, p);
  }
  const loopA = path.join(dir, 'loop-a.tsv');
  const loopB = path.join(dir, 'loop-b.tsv');
  fs.symlinkSync(loopB, loopA);
  fs.symlinkSync(loopA, loopB);
  add('a link loop', loopA);
  const folder = path.join(dir, 'a-folder.tsv');
  fs.mkdirSync(folder);
  add('a folder', folder);
  add('a missing file', path.join(dir, 'missing.tsv'));
  const sock = path.join(dir, 'socket.tsv');
  const server = net.createServer();
  await new Promise<void>((res) => server.listen(sock, () => res()));
  add('a socket', sock);
  return () => server.close();
}

/** Run folders a cloned repository could carry: hostile ids must be refused by name, never followed. */
function trustCases(dir: string, out: FuzzCase[]): void {
  const runs = path.join(dir, 'trust-runs');
  fs.mkdirSync(runs, { recursive: true });
  fs.writeFileSync(path.join(runs, 'run.json'), '{}');
  for (const id of ['..', '.', '../..', '../../etc/passwd', 'a/b', '/etc', '.hidden', '..\\x']) {
    out.push({ name: `show ${JSON.stringify(id)}`, cls: 'trust: run id', file: id, command: ['show', id, '--runs-dir', runs], expect: 'input' });
  }
}

/** Builds the corpus in `dir`; returns the cases and a clean-up function (closes the socket). */
export async function buildCorpus(dir: string, seed = 20261202): Promise<{ cases: FuzzCase[]; close: () => void }> {
  const rng = new Prng(seed);
  const cases: FuzzCase[] = [];
  textCases(dir, rng, cases);
  await matCases(dir, rng, cases);
  trustCases(dir, cases);
  const close = await specialCases(dir, cases);
  return { cases, close };
}
