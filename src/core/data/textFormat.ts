import * as fs from 'fs';
import * as path from 'path';
import { DatasetError, IssueCollector } from './errors';
import { checkInputFile } from './inputFile';

/** A delimited-text ratings layout. */
export interface TextLayout {
  /** Human name of the detected format (shown in logs and run.json). */
  kind: 'movielens' | 'movielens-dat' | 'csv' | 'tsv' | 'ssv';
  delimiter: string;
  header: boolean;
  /** 0-based column positions. */
  columns: { user: number; item: number; rating: number; timestamp?: number };
}

/** Ratings as parsed, before ids are mapped to indices. Ids are numeric (ints up to 2^53). */
export interface RawRatings {
  file: string;
  layout: TextLayout | { kind: 'mat' };
  userIds: Float64Array;
  itemIds: Float64Array;
  values: Float32Array;
  timestamps?: Float64Array;
  /** 1-based source line of each rating (for duplicate warnings); absent for .mat files. */
  lines?: Int32Array;
  length: number;
}

const HEADER_NAMES: Record<'user' | 'item' | 'rating' | 'timestamp', string[]> = {
  user: ['user', 'userid', 'user_id', 'uid'],
  item: ['item', 'itemid', 'item_id', 'movieid', 'movie_id', 'movie', 'iid'],
  rating: ['rating', 'ratings', 'score', 'value'],
  timestamp: ['timestamp', 'time', 'ts', 'date'],
};

const SNIFF_BYTES = 64 * 1024;

/** Reads the first bytes of a file (for format sniffing). */
export function readHead(file: string, n = SNIFF_BYTES): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** Lines longer than this are refused (a ratings line is a few dozen bytes; this stops a file without line breaks). */
const MAX_LINE_BYTES = 1 << 20;

/** MATLAB v5 (and v4-compatible v6/v7) files start with a 116-byte text header "MATLAB 5.0 MAT-file". */
export function isMatV5(head: Buffer): boolean {
  return head.length >= 19 && head.subarray(0, 19).toString('latin1') === 'MATLAB 5.0 MAT-file' && !isHdf5(head);
}

export const MAT_V5_MESSAGE = 'is a MATLAB v5 .mat file (what scipy.io.savemat writes by default), which is not read here: save it as MATLAB v7.3 (HDF5) — MATLAB: save(file, ..., \'-v7.3\'); Python: hdf5storage.savemat(file, data, format=\'7.3\') or h5py';

export function isHdf5(head: Buffer): boolean {
  const sig = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  // MATLAB v7.3 files put a 512-byte text header before the HDF5 superblock.
  for (const off of [0, 512, 1024, 2048]) {
    if (head.length >= off + 8 && head.subarray(off, off + 8).equals(sig)) return true;
  }
  return false;
}

export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) odd++;
  }
  return n > 0 && odd / n > 0.05;
}

function splitLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => stripQuotes(f.trim()));
}

function stripQuotes(f: string): string {
  return f.length >= 2 && ((f[0] === '"' && f[f.length - 1] === '"') || (f[0] === "'" && f[f.length - 1] === "'")) ? f.slice(1, -1) : f;
}

/**
 * Detects the text layout of a ratings file from its name and first lines.
 * MovieLens names (u.data, u1.base, ua.test, ratings.dat) take precedence; otherwise the delimiter is the one
 * that splits the first data line into ≥ 3 fields, and a first line whose fields are not all numeric is a header.
 */
export function detectTextLayout(file: string, head: Buffer): TextLayout {
  const base = path.basename(file).toLowerCase();
  const text = head.toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw DatasetError.single(file, 'the file is empty (no ratings)');
  const first = lines[0];

  let delimiter: string;
  let kind: TextLayout['kind'];
  if (first.includes('::')) {
    delimiter = '::';
    kind = 'movielens-dat';
  } else if (first.includes('\t')) {
    delimiter = '\t';
    kind = /^(u\.data|u\d\.(base|test)|u[ab]\.(base|test))$/.test(base) ? 'movielens' : 'tsv';
  } else if (first.includes(',')) {
    delimiter = ',';
    kind = 'csv';
  } else if (first.includes(';')) {
    delimiter = ';';
    kind = 'csv';
  } else if (/\S\s+\S/.test(first)) {
    delimiter = ' ';
    kind = 'ssv';
  } else {
    throw DatasetError.single(file, `cannot find a field delimiter (tab, comma, semicolon, '::' or space) in the first line: "${first.slice(0, 80)}"`, 1);
  }

  const split = (l: string) => (delimiter === ' ' ? l.trim().split(/\s+/) : splitLine(l, delimiter));
  const fields = split(first);
  const numeric = fields.map((f) => f.length > 0 && Number.isFinite(Number(f)));
  const header = !numeric.slice(0, Math.min(3, fields.length)).every(Boolean);
  let columns: TextLayout['columns'];
  if (header) {
    const names = fields.map((f) => f.toLowerCase().replace(/[\s"']/g, ''));
    const find = (k: keyof typeof HEADER_NAMES) => names.findIndex((n) => HEADER_NAMES[k].includes(n));
    const user = find('user');
    const item = find('item');
    const rating = find('rating');
    const ts = find('timestamp');
    const missing = [user < 0 ? 'user' : '', item < 0 ? 'item' : '', rating < 0 ? 'rating' : ''].filter(Boolean);
    if (missing.length) {
      throw DatasetError.single(file, `header "${first.slice(0, 120)}" has no ${missing.join(', ')} column (recognised names: ${missing.map((m) => HEADER_NAMES[m as 'user'].join('/')).join('; ')})`, 1);
    }
    columns = { user, item, rating, timestamp: ts >= 0 ? ts : undefined };
  } else {
    if (fields.length < 3) throw DatasetError.single(file, `expected at least 3 fields (user, item, rating), found ${fields.length}`, 1);
    columns = { user: 0, item: 1, rating: 2, timestamp: fields.length >= 4 ? 3 : undefined };
  }
  return { kind, delimiter, header, columns };
}

/** Growable typed array. */
class Grow<T extends Float64Array | Float32Array | Int32Array> {
  arr: T;
  length = 0;
  constructor(private readonly ctor: new (n: number) => T, cap = 1 << 16) {
    this.arr = new ctor(cap);
  }
  push(v: number): void {
    if (this.length === this.arr.length) {
      const next = new this.ctor(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.length++] = v;
  }
  finish(): T {
    return this.arr.slice(0, this.length) as T;
  }
}

/**
 * Parses a number from ASCII bytes [s, e). Returns NaN when the field is not a plain decimal number.
 * Written for speed on 10M-line files: no string allocation on the hot path.
 */
function parseNumber(buf: Buffer, s: number, e: number): number {
  // trim spaces and quotes
  while (s < e && (buf[s] === 32 || buf[s] === 34 || buf[s] === 39)) s++;
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 34 || buf[e - 1] === 39)) e--;
  if (s >= e) return NaN;
  let i = s;
  let neg = false;
  if (buf[i] === 45) { neg = true; i++; } else if (buf[i] === 43) i++;
  let v = 0;
  let digits = 0;
  while (i < e && buf[i] >= 48 && buf[i] <= 57) { v = v * 10 + (buf[i] - 48); i++; digits++; }
  if (i < e && buf[i] === 46) {
    i++;
    let scale = 0.1;
    while (i < e && buf[i] >= 48 && buf[i] <= 57) { v += (buf[i] - 48) * scale; scale *= 0.1; i++; digits++; }
  }
  if (digits === 0) return NaN;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    // exponent: fall back to the slow path for exactness
    const n = Number(buf.toString('latin1', s, e));
    return Number.isFinite(n) ? n : NaN;
  }
  if (i !== e) return NaN;
  return neg ? -v : v;
}

export interface ParseOptions {
  /** Explicit layout; detected when absent. */
  layout?: TextLayout;
  /** Ratings outside [min, max] are errors when given. */
  scale?: { min: number; max: number };
  /** Read size in bytes (default 8 MiB; tests use tiny chunks to exercise line splitting across reads). */
  chunkSize?: number;
}

/**
 * Streams a delimited ratings file in 8 MiB chunks. Errors (wrong field count, non-numeric id or rating,
 * rating outside the scale, non-positive rating) are collected with their line numbers; after 20 the parse stops.
 */
export function parseTextRatings(file: string, opts: ParseOptions = {}): RawRatings {
  const size = checkInputFile(file);
  if (size === 0) throw DatasetError.single(file, 'the file is empty (no ratings)');
  const head = readHead(file);
  if (isHdf5(head)) throw DatasetError.single(file, 'is an HDF5/MATLAB file; open it as a .mat dataset');
  if (isMatV5(head)) throw DatasetError.single(file, MAT_V5_MESSAGE);
  if (looksBinary(head)) throw DatasetError.single(file, 'looks like a binary file, not delimited text (user, item, rating[, timestamp])');
  const layout = opts.layout ?? detectTextLayout(file, head);
  const issues = new IssueCollector(file);
  const users = new Grow(Float64Array);
  const items = new Grow(Float64Array);
  const values = new Grow(Float32Array);
  const lines = new Grow(Int32Array);
  const ts = layout.columns.timestamp !== undefined ? new Grow(Float64Array) : undefined;
  const { user: cu, item: ci, rating: cr, timestamp: ct } = layout.columns;
  const needFields = Math.max(cu, ci, cr, ct ?? -1) + 1;
  let expectFields = -1;
  const delim = Buffer.from(layout.delimiter === ' ' ? ' ' : layout.delimiter);
  const d0 = delim[0];
  const dlen = delim.length;
  const starts = new Int32Array(64);
  const ends = new Int32Array(64);
  const scale = opts.scale;

  const fd = fs.openSync(file, 'r');
  const CHUNK = opts.chunkSize ?? 8 * 1024 * 1024;
  let buf = Buffer.alloc(CHUNK);
  let carry = 0;
  let lineNo = 0;
  let pos = 0;
  try {
    for (;;) {
      const got = fs.readSync(fd, buf, carry, buf.length - carry, pos);
      pos += got;
      const end = carry + got;
      const eof = got === 0;
      let ls = 0;
      for (;;) {
        let le = buf.indexOf(10, ls);
        if (le < 0 || le >= end) {
          if (!eof) break;
          if (ls >= end) break;
          le = end; // last line without newline
        }
        lineNo++;
        let lineEnd = le;
        if (lineEnd > ls && buf[lineEnd - 1] === 13) lineEnd--;
        if (!(layout.header && lineNo === 1) && lineEnd > ls) {
          // split fields
          let nf = 0;
          let fs0 = ls;
          let blank = true;
          for (let k = ls; k < lineEnd; k++) if (buf[k] !== 32 && buf[k] !== 9) { blank = false; break; }
          if (!blank) {
            if (layout.delimiter === ' ') {
              let k = ls;
              while (k < lineEnd) {
                while (k < lineEnd && (buf[k] === 32 || buf[k] === 9)) k++;
                if (k >= lineEnd) break;
                const s = k;
                while (k < lineEnd && buf[k] !== 32 && buf[k] !== 9) k++;
                if (nf < 64) { starts[nf] = s; ends[nf] = k; }
                nf++;
              }
            } else {
              for (let k = ls; k <= lineEnd - dlen; k++) {
                if (buf[k] === d0 && (dlen === 1 || buf[k + 1] === delim[1])) {
                  if (nf < 64) { starts[nf] = fs0; ends[nf] = k; }
                  nf++;
                  fs0 = k + dlen;
                  k += dlen - 1;
                }
              }
              if (nf < 64) { starts[nf] = fs0; ends[nf] = lineEnd; }
              nf++;
            }
            if (expectFields < 0) expectFields = nf;
            if (nf < needFields || (!layout.header && nf !== expectFields)) {
              issues.add(`expected ${layout.header ? `at least ${needFields}` : expectFields} fields separated by ${JSON.stringify(layout.delimiter)}, found ${nf}`, lineNo);
            } else {
              const u = parseNumber(buf, starts[cu], ends[cu]);
              const it = parseNumber(buf, starts[ci], ends[ci]);
              const r = parseNumber(buf, starts[cr], ends[cr]);
              const field = (c: number) => buf.toString('utf8', starts[c], ends[c]).trim().slice(0, 40);
              let ok = true;
              if (!Number.isInteger(u)) { issues.add(`user id "${field(cu)}" is not an integer`, lineNo); ok = false; }
              else if (!Number.isSafeInteger(u)) { issues.add(`user id "${field(cu)}" is beyond 2^53 − 1 (ids larger than that cannot be told apart)`, lineNo); ok = false; }
              if (!Number.isInteger(it)) { issues.add(`item id "${field(ci)}" is not an integer`, lineNo); ok = false; }
              else if (!Number.isSafeInteger(it)) { issues.add(`item id "${field(ci)}" is beyond 2^53 − 1 (ids larger than that cannot be told apart)`, lineNo); ok = false; }
              if (!Number.isFinite(r)) { issues.add(`rating "${field(cr)}" is not a number`, lineNo); ok = false; }
              else if (r !== 0 && Math.fround(r) === 0) { issues.add(`rating ${field(cr)} rounds to 0 in float32 (0 would mean "unobserved")`, lineNo); ok = false; }
              else if (!Number.isFinite(Math.fround(r))) { issues.add(`rating ${field(cr)} overflows float32`, lineNo); ok = false; }
              else if (scale && (r < scale.min || r > scale.max)) { issues.add(`rating ${r} is outside the scale [${scale.min}, ${scale.max}]`, lineNo); ok = false; }
              else if (!scale && r <= 0) { issues.add(`rating ${r} is not positive (0 marks an unobserved entry; give an explicit rating scale to allow it)`, lineNo); ok = false; }
              let t = 0;
              if (ts && ct !== undefined) {
                t = parseNumber(buf, starts[ct], ends[ct]);
                if (!Number.isFinite(t)) {
                  const parsed = Date.parse(field(ct));
                  if (Number.isFinite(parsed)) t = parsed / 1000;
                  else { issues.add(`timestamp "${field(ct)}" is not a number or date`, lineNo); ok = false; }
                }
              }
              if (ok) {
                users.push(u); items.push(it); values.push(r); lines.push(lineNo);
                if (ts) ts.push(t);
              }
            }
          }
        }
        ls = le + 1;
        if (le >= end) break;
      }
      if (eof) break;
      // move the partial line to the front
      carry = end - ls;
      if (carry > 0) {
        if (carry > MAX_LINE_BYTES) throw DatasetError.single(file, `a line is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB (not a ratings file, or no line breaks)`, lineNo + 1);
        if (carry === buf.length) {
          const bigger = Buffer.alloc(buf.length * 2);
          buf.copy(bigger, 0, 0, carry);
          buf = bigger;
        } else {
          buf.copy(buf, 0, ls, end);
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  issues.throwIfAny();
  if (values.length === 0) throw DatasetError.single(file, 'no ratings found (the file has only a header or blank lines)');
  return {
    file,
    layout,
    userIds: users.finish(),
    itemIds: items.finish(),
    values: values.finish(),
    timestamps: ts?.finish(),
    lines: lines.finish(),
    length: values.length,
  };
}
