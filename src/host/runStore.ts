/**
 * The run store: one folder per run under a runs root (DESIGN.md "Runs on disk"). Used by the extension host
 * and the CLI alike; imports neither vscode nor IPC.
 *
 *   <root>/<YYYYMMDD-HHMMSS>-<model>-<dataset>/
 *     run.json       RunRecord: spec, resolved hyper-parameters, dataset files + sha256, backend, versions, status
 *     metrics.jsonl  one EpochMetrics per line (train / val / test metric records), appended as epochs end
 *     summary.json   RunSummary (task, selection metric, val-selected / last / test-selected records)
 *     log.txt        the run's log
 *     artifacts/     frames.jsonl (the model's declared pictures per epoch), full-resolution tensors
 * Folders written before metric records (rmse/mae fields, artifacts/snapshots.jsonl) are upgraded on read
 * (src/core/tasks/legacy.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import type { ArtifactFrame, BackendInfo, DatasetStats, EpochMetrics, LogLine, LossPoint, RunSpec, RunStatus, RunSummary } from '../protocol/types';
import type { RunSink } from '../core/run';
import { upgradeEpoch, upgradeSummary } from '../core/tasks/legacy';
import { kernelFrames, type KernelSnapshot } from '../core/artifacts';
import type { SweepTag } from './sweep';

export interface RunRecord {
  /** The folder name; never taken from file content. */
  id: string;
  status: RunStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  spec: RunSpec;
  datasetName: string;
  dataset?: { format: string; files: { role: string; path: string; sha256: string }[]; stats?: DatasetStats; fit?: number; val?: number; test?: number };
  backend?: BackendInfo;
  versions: Record<string, string>;
  pid?: number;
  /** The process's identity beyond its pid (boot id + start time), so a reused pid is not taken for the run. */
  pidStart?: string;
  hostname: string;
  error?: string;
  /** The sweep this run belongs to and its point in it (src/host/sweep.ts). */
  sweep?: SweepTag;
}

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  summary?: RunSummary;
  metrics: EpochMetrics[];
  /** Why the run's files could not be read (the run is listed with status `corrupt`). */
  corrupt?: string;
  /** Problems that did not stop reading (a torn last line, a skipped malformed line). */
  warnings: string[];
  /** The user's tags and note (notes.json). */
  notes?: RunNotes;
}

export interface RunNotes {
  tags: string[];
  note?: string;
}

/** notes.json, checked: tags are short strings, the note a string (anything else is dropped with a warning). */
function readNotes(dir: string, warnings: string[]): RunNotes | undefined {
  const r = readJsonFile(path.join(dir, 'notes.json'));
  if (r.missing) return undefined;
  if (r.error || !isObj(r.value)) {
    warnings.push(r.error ?? 'notes.json: not a JSON object (ignored)');
    return undefined;
  }
  const tags = Array.isArray(r.value.tags) ? r.value.tags.filter((t): t is string => typeof t === 'string').map((t) => t.slice(0, 40)).slice(0, 20) : [];
  return { tags, note: typeof r.value.note === 'string' ? r.value.note.slice(0, 4000) : undefined };
}

/** A file-system failure while writing a run, with the folder and the cause in words. */
export class RunWriteError extends Error {
  constructor(readonly dir: string, readonly code: string | undefined, cause: string) {
    super(`cannot write the run folder ${dir}: ${cause}`);
    this.name = 'RunWriteError';
  }
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'the folder was removed',
};

/** A write error as a RunWriteError naming the folder and the cause. */
export function writeError(dir: string, e: unknown): RunWriteError {
  if (e instanceof RunWriteError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  return new RunWriteError(dir, code, code && CAUSES[code] ? `${CAUSES[code]} (${code})` : (e as Error)?.message ?? String(e));
}

/** Writes a file atomically: temp file in the same folder, then rename; a failed write leaves no temp file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to remove */
    }
    throw writeError(path.dirname(file), e);
  }
}

/** Appends one whole line (one write call); a failed append is reported, and a partial one cut back off. */
function appendLine(file: string, line: string): void {
  let size = -1;
  try {
    size = fs.statSync(file).size;
  } catch {
    size = 0;
  }
  try {
    fs.appendFileSync(file, line + '\n');
  } catch (e) {
    // a short write on a full disk may leave part of the line: cut the file back to its last whole line
    try {
      if (size >= 0 && fs.statSync(file).size !== size) fs.truncateSync(file, size);
    } catch {
      /* the reader skips a torn last line anyway */
    }
    throw writeError(path.dirname(file), e);
  }
}

type Read<T> = { value?: T; missing?: boolean; error?: string };

function readJsonFile(file: string): Read<unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true } : { error: `${path.basename(file)}: ${(e as Error).message}` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `${path.basename(file)}: not valid JSON (${(e as Error).message})` };
  }
}

/** Reads a JSON-lines file: a torn last line (a killed writer) is skipped and reported, other bad lines too. */
export function readJsonlChecked<T>(file: string): { values: T[]; warnings: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { values: [], warnings: [] };
  }
  const values: T[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      const last = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
      warnings.push(last ? `${path.basename(file)}: the last line is torn (the writer stopped mid-line); it was skipped` : `${path.basename(file)}:${i + 1}: not valid JSON; the line was skipped`);
    }
  });
  return { values, warnings };
}

/** Reads a JSON-lines file, skipping a torn last line (a killed writer). */
export function readJsonl<T>(file: string): T[] {
  return readJsonlChecked<T>(file).values;
}

const STATUSES: RunStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];
/** A plain JSON object (not null, not an array). */
export const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

/** Checks run.json against the record schema; returns the problem, or undefined when it is sound. */
export function recordProblem(x: unknown): string | undefined {
  if (!isObj(x)) return 'run.json: not a JSON object';
  if (!STATUSES.includes(x.status as RunStatus)) return `run.json: "status" ${JSON.stringify(x.status)} is not one of ${STATUSES.join(', ')}`;
  if (typeof x.createdAt !== 'string') return 'run.json: "createdAt" is missing';
  const spec = x.spec;
  if (!isObj(spec)) return 'run.json: "spec" is missing';
  if (typeof spec.model !== 'string' || !spec.model) return 'run.json: "spec.model" is missing';
  if (!isObj(spec.dataset) || typeof spec.dataset.train !== 'string') return 'run.json: "spec.dataset.train" is missing';
  if (spec.overrides !== undefined && !isObj(spec.overrides)) return 'run.json: "spec.overrides" is not an object';
  if (typeof spec.split !== 'string') return 'run.json: "spec.split" is missing';
  if (x.datasetName !== undefined && typeof x.datasetName !== 'string') return 'run.json: "datasetName" is not a string';
  if (x.pid !== undefined && typeof x.pid !== 'number') return 'run.json: "pid" is not a number';
  return undefined;
}

/** Checks summary.json (either format); returns the problem, or undefined. */
function summaryProblem(x: unknown): string | undefined {
  if (!isObj(x)) return 'summary.json: not a JSON object';
  if (typeof x.status !== 'string') return 'summary.json: "status" is missing';
  if (!isObj(x.selection) && !isObj(x.rmse)) return 'summary.json: no results ("selection")';
  return undefined;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'data';

/** A run id is a folder name of ours: letters, digits, '.', '_', '-', not starting with '.' (so never '.' or '..'). */
export function isValidRunId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= 200 && /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(id);
}

function pidAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's identity beyond its pid: boot id and start time (Linux /proc); undefined elsewhere. */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 22 (starttime) counted after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}:${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** Whether the process that ran a run is still the same process (pid alive, and the same start time where known). */
function sameProcessAlive(record: Pick<RunRecord, 'pid' | 'pidStart' | 'hostname'>): boolean {
  if (record.hostname !== os.hostname() || !pidAlive(record.pid)) return false;
  if (!record.pidStart) return true;
  const now = processIdentity(record.pid as number);
  return now === undefined || now === record.pidStart;
}

export class RunStore {
  constructor(readonly root: string) {}

  /** The folder of a run id; ids are checked (never '.', '..' or a path). */
  dirOf(id: string): string {
    if (!isValidRunId(id)) throw Object.assign(new Error(`invalid run id ${JSON.stringify(id)} (run ids are folder names: letters, digits, '.', '_', '-', not starting with '.')`), { input: true });
    return path.join(this.root, id);
  }

  /**
   * The folder of a run id when it is a real directory inside the runs root (not a link pointing elsewhere): the
   * only folders delete and reveal act on.
   */
  safeDirOf(id: string): string {
    const dir = this.dirOf(id);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      throw new Error(`run ${id} not found in ${this.root}`);
    }
    if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`run ${id} is not a folder of its own in ${this.root}`);
    const root = fs.realpathSync(this.root);
    const real = fs.realpathSync(dir);
    if (path.dirname(real) !== root) throw new Error(`run ${id} resolves outside the runs folder ${this.root}`);
    return real;
  }

  /** Creates a run folder with status `queued`. */
  create(spec: RunSpec, datasetName: string, versions: Record<string, string> = {}, sweep?: SweepTag): RunHandle {
    try {
      fs.mkdirSync(this.root, { recursive: true });
    } catch (e) {
      throw writeError(this.root, e);
    }
    const base = `${stamp(new Date())}-${slug(spec.model)}-${slug(datasetName)}`;
    let id = base;
    for (let n = 2; ; n++) {
      try {
        fs.mkdirSync(path.join(this.root, id));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(this.root, e);
        id = `${base}-${n}`;
      }
    }
    const record: RunRecord = {
      id,
      status: 'queued',
      createdAt: new Date().toISOString(),
      spec,
      datasetName,
      versions: { node: process.versions.node, ...versions },
      hostname: os.hostname(),
      ...(sweep ? { sweep } : {}),
    };
    const h = new RunHandle(this.dirOf(id), record);
    try {
      h.saveRecord();
    } catch (e) {
      fs.rmSync(h.dir, { recursive: true, force: true });
      throw e;
    }
    return h;
  }

  open(id: string): RunHandle {
    const r = this.read(id, false);
    if (r.corrupt) throw new Error(`run ${id} cannot be read: ${r.corrupt}`);
    return new RunHandle(r.dir, r.record);
  }

  /** Reads one run folder; a malformed file makes the run `corrupt` (with the reason) instead of throwing. */
  private read(id: string, withMetrics: boolean): LoadedRun {
    const dir = this.dirOf(id);
    const rec = readJsonFile(path.join(dir, 'run.json'));
    if (rec.missing) throw new Error(`run ${id} not found in ${this.root}`);
    const warnings: string[] = [];
    let corrupt = rec.error ?? recordProblem(rec.value);
    let record: RunRecord;
    if (corrupt) {
      let created = new Date(0).toISOString();
      try {
        created = fs.statSync(dir).mtime.toISOString();
      } catch {
        /* keep the epoch */
      }
      const v = isObj(rec.value) ? rec.value : {};
      record = {
        id, status: 'corrupt', createdAt: typeof v.createdAt === 'string' ? v.createdAt : created, hostname: '', versions: {},
        spec: { model: isObj(v.spec) && typeof v.spec.model === 'string' ? v.spec.model : '?', overrides: {}, dataset: { train: '' }, split: 'auto', valFraction: 0, seed: 0, backend: 'auto' },
        datasetName: typeof v.datasetName === 'string' ? v.datasetName : '(corrupt runs)',
        error: corrupt,
      };
    } else {
      record = { ...(rec.value as RunRecord), id, datasetName: (rec.value as RunRecord).datasetName ?? '' };
      record.spec = { ...record.spec, overrides: record.spec.overrides ?? {} };
      this.reconcile(dir, record);
    }
    let summary: RunSummary | undefined;
    const sum = readJsonFile(path.join(dir, 'summary.json'));
    if (!sum.missing) {
      const problem = sum.error ?? summaryProblem(sum.value);
      if (problem) {
        corrupt = corrupt ? `${corrupt}; ${problem}` : problem;
        record.status = 'corrupt';
        record.error = corrupt;
      } else summary = upgradeSummary(sum.value);
    }
    let metrics: EpochMetrics[] = [];
    if (withMetrics) {
      const m = readJsonlChecked<unknown>(path.join(dir, 'metrics.jsonl'));
      warnings.push(...m.warnings);
      metrics = m.values.map(upgradeEpoch).filter((x): x is EpochMetrics => x !== undefined);
    }
    const notes = readNotes(dir, warnings);
    return { dir, record, summary, metrics, corrupt, warnings, notes };
  }

  /** Sets a run's tags and note (notes.json, written atomically). */
  setNotes(id: string, notes: RunNotes): void {
    const dir = this.safeDirOf(id);
    const clean: RunNotes = { tags: [...new Set(notes.tags.map((t) => t.trim()).filter(Boolean))].slice(0, 20), note: notes.note?.trim() || undefined };
    writeFileAtomic(path.join(dir, 'notes.json'), JSON.stringify(clean, null, 2));
  }

  /**
   * All runs, newest first. A malformed run is listed as `corrupt` with its reason (it never hides itself or
   * breaks the list). A run recorded as `running` whose process is gone (pid and start time) is marked
   * `interrupted` on disk. Only folders with run ids of ours are considered; ids are the folder names.
   */
  list(): LoadedRun[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.root);
    } catch {
      return [];
    }
    const out: LoadedRun[] = [];
    for (const name of names.sort().reverse()) {
      if (!isValidRunId(name)) continue;
      try {
        if (!fs.lstatSync(path.join(this.root, name)).isDirectory()) continue;
        out.push(this.read(name, false));
      } catch {
        /* no run.json: not a run folder */
      }
    }
    return out;
  }

  load(id: string): LoadedRun {
    return this.read(id, true);
  }

  /** The run's artifact frames (older runs: their kernel snapshots, as frames). */
  artifacts(id: string): ArtifactFrame[] {
    const dir = path.join(this.dirOf(id), 'artifacts');
    const frames = readJsonl<ArtifactFrame>(path.join(dir, 'frames.jsonl')).filter((f) => isObj(f) && typeof f.name === 'string' && isObj(f.data));
    if (frames.length) return frames;
    return readJsonl<KernelSnapshot>(path.join(dir, 'snapshots.jsonl')).flatMap((s) => (s && Array.isArray(s.layers) ? kernelFrames(s) : []));
  }

  losses(id: string): LossPoint[] {
    return readJsonl<LossPoint>(path.join(this.dirOf(id), 'loss.jsonl'));
  }

  log(id: string): string {
    try {
      return fs.readFileSync(path.join(this.dirOf(id), 'log.txt'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Deletes a run's folder — only a real folder directly inside the runs root (real paths checked). */
  delete(id: string): void {
    fs.rmSync(this.safeDirOf(id), { recursive: true, force: true });
  }

  /**
   * A run left `running`/`queued` by a process of this machine that is gone was interrupted. A run of another
   * machine (a Slurm compute node writing to a shared runs folder) is left as it is: from here its process cannot
   * be seen (sweep-status asks the scheduler instead).
   */
  private reconcile(dir: string, record: RunRecord): void {
    if ((record.status === 'running' || record.status === 'queued') && record.hostname === os.hostname() && !sameProcessAlive(record)) {
      record.status = 'interrupted';
      record.finishedAt = record.finishedAt ?? new Date().toISOString();
      try {
        writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(record, null, 2));
      } catch {
        /* read-only folder: report it interrupted anyway */
      }
    }
  }
}

/** Writes one run's files. Every write is atomic or an append, so a killed run stays readable. */
export class RunHandle {
  constructor(readonly dir: string, readonly record: RunRecord) {}

  get id(): string {
    return this.record.id;
  }

  saveRecord(): void {
    writeFileAtomic(path.join(this.dir, 'run.json'), JSON.stringify(this.record, null, 2));
  }

  update(patch: Partial<RunRecord>): void {
    Object.assign(this.record, patch);
    this.saveRecord();
  }

  markRunning(pid: number): void {
    this.update({ status: 'running', startedAt: new Date().toISOString(), pid, pidStart: processIdentity(pid) });
  }

  appendLog(line: LogLine): void {
    appendLine(path.join(this.dir, 'log.txt'), `${line.time} [${line.level}] ${line.message}`);
  }

  appendMetrics(m: EpochMetrics): void {
    appendLine(path.join(this.dir, 'metrics.jsonl'), JSON.stringify(m));
  }

  appendLoss(p: LossPoint): void {
    appendLine(path.join(this.dir, 'loss.jsonl'), JSON.stringify(p));
  }

  appendArtifact(f: ArtifactFrame): void {
    const dir = path.join(this.dir, 'artifacts');
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw writeError(dir, e);
    }
    appendLine(path.join(dir, 'frames.jsonl'), JSON.stringify(f));
  }

  writeArtifact(name: string, data: Uint8Array | string): void {
    const dir = path.join(this.dir, 'artifacts');
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw writeError(dir, e);
    }
    writeFileAtomic(path.join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_')), data);
  }

  /**
   * Writes the summary and the final status. When the summary cannot be written (a full disk) the status still
   * becomes `failed` with the cause where run.json can be written; the error is rethrown for the caller to show.
   */
  finish(summary: RunSummary): void {
    try {
      writeFileAtomic(path.join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2));
    } catch (e) {
      const err = writeError(this.dir, e);
      try {
        this.update({ status: 'failed', finishedAt: new Date().toISOString(), error: summary.error ? `${summary.error}; ${err.message}` : err.message });
      } catch {
        /* not even run.json: the run will show as interrupted */
      }
      throw err;
    }
    this.update({ status: summary.status, finishedAt: new Date().toISOString(), error: summary.error });
  }

  /** Removes the run's folder (a run that failed on bad input before training leaves nothing behind). */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A RunSink that records everything into a run folder, then forwards to another sink (UI, console). A write that
 * fails (full disk, read-only or removed folder) is reported once through `onWriteError` — the owner stops the run
 * and marks it failed — and later writes are skipped.
 */
export function recordingSink(h: RunHandle, next?: Partial<RunSink>, onWriteError?: (e: RunWriteError) => void): RunSink {
  let failed: RunWriteError | undefined;
  const write = (f: () => void) => {
    if (failed) return;
    try {
      f();
    } catch (e) {
      failed = writeError(h.dir, e);
      if (onWriteError) onWriteError(failed);
      else throw failed;
    }
  };
  return {
    log: (l) => { write(() => h.appendLog(l)); next?.log?.(l); },
    backend: (b) => { write(() => h.update({ backend: b })); next?.backend?.(b); },
    dataset: (d) => {
      write(() => h.update({ datasetName: d.name, dataset: { format: d.format, files: d.files, stats: d.stats, fit: d.fit, val: d.val, test: d.test } }));
      next?.dataset?.(d);
    },
    epoch: (m) => { write(() => h.appendMetrics(m)); next?.epoch?.(m); },
    loss: (p) => { write(() => h.appendLoss(p)); next?.loss?.(p); },
    artifact: (f) => { write(() => h.appendArtifact(f)); next?.artifact?.(f); },
    progress: (p) => next?.progress?.(p),
  };
}
