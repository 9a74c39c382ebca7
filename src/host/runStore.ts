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

export interface RunRecord {
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
  hostname: string;
  error?: string;
}

export interface LoadedRun {
  dir: string;
  record: RunRecord;
  summary?: RunSummary;
  metrics: EpochMetrics[];
}

/** Writes a file atomically: temp file in the same folder, then rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads a JSON-lines file, skipping a torn last line (a killed writer). */
export function readJsonl<T>(file: string): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      /* torn line */
    }
  }
  return out;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'data';

function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunStore {
  constructor(readonly root: string) {}

  dirOf(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`invalid run id "${id}"`);
    return path.join(this.root, id);
  }

  /** Creates a run folder with status `queued`. */
  create(spec: RunSpec, datasetName: string, versions: Record<string, string> = {}): RunHandle {
    fs.mkdirSync(this.root, { recursive: true });
    const base = `${stamp(new Date())}-${slug(spec.model)}-${slug(datasetName)}`;
    let id = base;
    for (let n = 2; ; n++) {
      try {
        fs.mkdirSync(path.join(this.root, id));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
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
    };
    const h = new RunHandle(this.dirOf(id), record);
    h.saveRecord();
    return h;
  }

  open(id: string): RunHandle {
    const dir = this.dirOf(id);
    const record = readJson<RunRecord>(path.join(dir, 'run.json'));
    if (!record) throw new Error(`run ${id} not found in ${this.root}`);
    return new RunHandle(dir, record);
  }

  /**
   * All runs, newest first. A run recorded as `running` whose process is gone (or on another boot) is marked
   * `interrupted` on disk. `livePids` lets the caller vouch for runs it is executing itself.
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
      const dir = path.join(this.root, name);
      const record = readJson<RunRecord>(path.join(dir, 'run.json'));
      if (!record) continue;
      this.reconcile(dir, record);
      out.push({ dir, record, summary: upgradeSummary(readJson(path.join(dir, 'summary.json'))), metrics: [] });
    }
    return out;
  }

  load(id: string): LoadedRun {
    const dir = this.dirOf(id);
    const record = readJson<RunRecord>(path.join(dir, 'run.json'));
    if (!record) throw new Error(`run ${id} not found in ${this.root}`);
    this.reconcile(dir, record);
    return { dir, record, summary: upgradeSummary(readJson(path.join(dir, 'summary.json'))), metrics: this.metrics(dir) };
  }

  private metrics(dir: string): EpochMetrics[] {
    return readJsonl<unknown>(path.join(dir, 'metrics.jsonl')).map(upgradeEpoch).filter((m): m is EpochMetrics => m !== undefined);
  }

  /** The run's artifact frames (older runs: their kernel snapshots, as frames). */
  artifacts(id: string): ArtifactFrame[] {
    const dir = path.join(this.dirOf(id), 'artifacts');
    const frames = readJsonl<ArtifactFrame>(path.join(dir, 'frames.jsonl'));
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

  delete(id: string): void {
    fs.rmSync(this.dirOf(id), { recursive: true, force: true });
  }

  private reconcile(dir: string, record: RunRecord): void {
    if ((record.status === 'running' || record.status === 'queued') && !(record.hostname === os.hostname() && pidAlive(record.pid))) {
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
    this.update({ status: 'running', startedAt: new Date().toISOString(), pid });
  }

  appendLog(line: LogLine): void {
    fs.appendFileSync(path.join(this.dir, 'log.txt'), `${line.time} [${line.level}] ${line.message}\n`);
  }

  appendMetrics(m: EpochMetrics): void {
    fs.appendFileSync(path.join(this.dir, 'metrics.jsonl'), JSON.stringify(m) + '\n');
  }

  appendLoss(p: LossPoint): void {
    fs.appendFileSync(path.join(this.dir, 'loss.jsonl'), JSON.stringify(p) + '\n');
  }

  appendArtifact(f: ArtifactFrame): void {
    const dir = path.join(this.dir, 'artifacts');
    fs.mkdirSync(dir, { recursive: true });
    fs.appendFileSync(path.join(dir, 'frames.jsonl'), JSON.stringify(f) + '\n');
  }

  writeArtifact(name: string, data: Uint8Array | string): void {
    const dir = path.join(this.dir, 'artifacts');
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_')), data);
  }

  finish(summary: RunSummary): void {
    writeFileAtomic(path.join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2));
    this.update({ status: summary.status, finishedAt: new Date().toISOString(), error: summary.error });
  }
}

/** A RunSink that records everything into a run folder, then forwards to another sink (UI, console). */
export function recordingSink(h: RunHandle, next?: Partial<RunSink>): RunSink {
  return {
    log: (l) => { h.appendLog(l); next?.log?.(l); },
    backend: (b) => { h.update({ backend: b }); next?.backend?.(b); },
    dataset: (d) => {
      h.update({ datasetName: d.name, dataset: { format: d.format, files: d.files, stats: d.stats, fit: d.fit, val: d.val, test: d.test } });
      next?.dataset?.(d);
    },
    epoch: (m) => { h.appendMetrics(m); next?.epoch?.(m); },
    loss: (p) => { h.appendLoss(p); next?.loss?.(p); },
    artifact: (f) => { h.appendArtifact(f); next?.artifact?.(f); },
    progress: (p) => next?.progress?.(p),
  };
}
