/**
 * FIFO run queue with a concurrency limit (setting kernelRecLab.maxConcurrentRuns). Each run gets its own
 * trainer process and its own folder in the run store; every event is recorded to disk first, then emitted
 * for the UI. No vscode import.
 */
import { EventEmitter } from 'events';
import * as path from 'path';
import type { ArtifactFrame, RunSpec, RunSummary, EpochMetrics, LogLine, BackendInfo, LossPoint } from '../protocol/types';
import type { RunSink } from '../core/run';
import { RunStore, RunHandle, RunWriteError, recordingSink } from './runStore';
import { emptySummary, selectionFromMetrics } from './runInfo';
import type { SweepTag } from './sweep';
import { startTrainer, TrainerOptions, TrainerRun } from './trainerClient';
import type { StartRunResult, DatasetInfoParams, ProgressParams } from '../protocol/trainer';

export interface QueueEvents {
  changed: [runId: string];
  log: [runId: string, line: LogLine];
  epoch: [runId: string, m: EpochMetrics];
  loss: [runId: string, p: LossPoint];
  artifact: [runId: string, f: ArtifactFrame];
  progress: [runId: string, p: ProgressParams];
  backend: [runId: string, b: BackendInfo];
  dataset: [runId: string, d: DatasetInfoParams];
  finished: [runId: string, result: StartRunResult];
}

interface Job {
  handle: RunHandle;
  spec: RunSpec;
  resolve: (r: StartRunResult) => void;
  run?: TrainerRun;
  progress?: ProgressParams;
  lastEpoch?: EpochMetrics;
  /** A write to the run folder failed (full disk, …): the run is stopped and fails with this cause. */
  writeError?: RunWriteError;
}

/**
 * The end of a run, for the queue and the CLI alike: a trainer that died keeps the metrics it wrote (the selection
 * is rebuilt from metrics.jsonl); a write failure makes the run fail with its cause; the summary and final status
 * are written (a write failure there is returned in `writeProblem`); a run that failed on bad input before any
 * epoch leaves no folder behind (`removed`).
 */
export function settleRun(store: RunStore, handle: RunHandle, spec: RunSpec, r: StartRunResult, writeErr?: RunWriteError): { result: StartRunResult; removed: boolean; writeProblem?: string } {
  const id = handle.id;
  if (writeErr) {
    r.summary.error = r.summary.error && r.summary.status === 'failed' ? `${writeErr.message} (then: ${r.summary.error})` : writeErr.message;
    r.summary.status = 'failed';
    r.errorKind = 'runtime';
  }
  let metrics: EpochMetrics[] = [];
  try {
    metrics = store.load(id).metrics;
  } catch {
    /* the folder is unreadable: nothing to rebuild from */
  }
  if (r.summary.status !== 'completed' && r.summary.dataset === '') {
    Object.assign(r.summary, selectionFromMetrics(spec, metrics), { dataset: handle.record.datasetName, backend: handle.record.backend?.name ?? 'none' });
  }
  if (r.errorKind === 'input' && metrics.length === 0) {
    // bad input: no run folder (the sidebar does not fill with typos); the message says what to fix
    try {
      handle.remove();
      return { result: r, removed: true };
    } catch {
      /* keep it then */
    }
  }
  try {
    handle.finish(r.summary);
    return { result: r, removed: false };
  } catch (e) {
    return { result: r, removed: false, writeProblem: (e as Error).message };
  }
}

export class RunQueue extends EventEmitter<QueueEvents> {
  private readonly waiting: Job[] = [];
  private readonly running = new Map<string, Job>();

  constructor(
    readonly store: RunStore,
    private readonly trainer: () => TrainerOptions,
    private readonly maxConcurrent: () => number = () => 1,
    private readonly versions: Record<string, string> = {},
  ) {
    super();
  }

  /** Queues a run; resolves when it ends (completed, failed or cancelled). */
  submit(spec: RunSpec, datasetName: string, sweep?: SweepTag): { runId: string; done: Promise<StartRunResult> } {
    const handle = this.store.create(spec, datasetName, this.versions, sweep);
    let resolve!: (r: StartRunResult) => void;
    const done = new Promise<StartRunResult>((r) => (resolve = r));
    this.waiting.push({ handle, spec, resolve });
    this.emit('changed', handle.id);
    this.pump();
    return { runId: handle.id, done };
  }

  /** Cancels a queued or running run. Returns false when it is not active. */
  cancel(runId: string): boolean {
    const qi = this.waiting.findIndex((j) => j.handle.id === runId);
    if (qi >= 0) {
      const [job] = this.waiting.splice(qi, 1);
      const summary = emptySummary(runId, job.spec, 'cancelled', 'cancelled before it started');
      try {
        job.handle.appendLog({ level: 'warn', message: 'cancelled while queued', time: new Date().toISOString() });
        job.handle.finish(summary);
      } catch (e) {
        this.emit('log', runId, { level: 'error', message: (e as Error).message, time: new Date().toISOString() });
      }
      this.emit('changed', runId);
      job.resolve({ summary });
      this.emit('finished', runId, { summary });
      return true;
    }
    const job = this.running.get(runId);
    if (!job?.run) return false;
    try {
      job.handle.appendLog({ level: 'warn', message: 'cancel requested', time: new Date().toISOString() });
    } catch {
      /* the log cannot be written: cancel all the same */
    }
    job.run.cancel();
    return true;
  }

  cancelAll(): void {
    for (const j of [...this.waiting]) this.cancel(j.handle.id);
    for (const id of [...this.running.keys()]) this.cancel(id);
  }

  activeRuns(): { runId: string; status: 'queued' | 'running'; spec: RunSpec; progress?: ProgressParams; lastEpoch?: EpochMetrics }[] {
    return [
      ...[...this.running.values()].map((j) => ({ runId: j.handle.id, status: 'running' as const, spec: j.spec, progress: j.progress, lastEpoch: j.lastEpoch })),
      ...this.waiting.map((j) => ({ runId: j.handle.id, status: 'queued' as const, spec: j.spec })),
    ];
  }

  isActive(runId: string): boolean {
    return this.running.has(runId) || this.waiting.some((j) => j.handle.id === runId);
  }

  private pump(): void {
    while (this.running.size < Math.max(1, this.maxConcurrent()) && this.waiting.length > 0) {
      const job = this.waiting.shift() as Job;
      this.start(job);
    }
  }

  private start(job: Job): void {
    const id = job.handle.id;
    this.running.set(id, job);
    const onWriteError = (e: RunWriteError) => {
      job.writeError = e;
      this.emit('log', id, { level: 'error', message: `${e.message}; stopping the run`, time: new Date().toISOString() });
      job.run?.cancel();
    };
    const sink: RunSink = recordingSink(job.handle, {
      log: (l) => this.emit('log', id, l),
      backend: (b) => this.emit('backend', id, b),
      dataset: (d) => this.emit('dataset', id, d),
      epoch: (m) => { job.lastEpoch = m; this.emit('epoch', id, m); },
      loss: (p) => this.emit('loss', id, p),
      artifact: (f) => this.emit('artifact', id, f),
      progress: (p) => { job.progress = p; this.emit('progress', id, p); },
    }, onWriteError);
    let run: TrainerRun;
    try {
      run = startTrainer(id, job.spec, sink, this.trainer(), path.join(job.handle.dir, 'artifacts'));
    } catch (e) {
      this.end(job, { summary: emptySummary(id, job.spec, 'failed', `could not start the trainer: ${(e as Error).message}`), errorKind: 'runtime' });
      return;
    }
    job.run = run;
    try {
      job.handle.markRunning(run.pid);
    } catch (e) {
      onWriteError(e as RunWriteError);
    }
    this.emit('changed', id);
    run.result.then(
      (r) => this.end(job, r),
      (e) => this.end(job, { summary: emptySummary(id, job.spec, 'failed', String(e)), errorKind: 'runtime' }),
    );
  }

  private end(job: Job, r: StartRunResult): void {
    const id = job.handle.id;
    const { writeProblem } = settleRun(this.store, job.handle, job.spec, r, job.writeError);
    if (writeProblem) this.emit('log', id, { level: 'error', message: `could not write the run's summary: ${writeProblem}`, time: new Date().toISOString() });
    this.running.delete(id);
    this.emit('changed', id);
    job.resolve(r);
    this.emit('finished', id, r);
    this.pump();
  }
}
