/**
 * Starts one trainer child process per run and talks JSON-RPC to it. No vscode import: unit-testable.
 * - fork() with the extension host's Node (ELECTRON_RUN_AS_NODE=1) or a configured Node binary
 * - cancel → JSON-RPC cancellation; if the process is still alive 5 s later it is killed
 * - crash / OOM / non-zero exit before a result → the run fails with the exit reason, the log and metrics kept
 */
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import {
  ArtifactNotification, BackendNotification, DatasetNotification, EpochNotification, LogNotification, LossNotification,
  ProgressNotification, StartRunRequest,
} from '../trainer/rpc';
import type { StartRunResult } from '../protocol/trainer';
import type { RunSpec, RunSummary } from '../protocol/types';
import type { RunSink } from '../core/run';
import { forkTrainerProcess, TrainerProcessOptions } from './processes';
import { emptySummary } from './runInfo';

export interface TrainerOptions extends TrainerProcessOptions {
  /** Milliseconds between a cancel and a hard kill. */
  killAfterMs?: number;
  /** Memory limit for the run in bytes (0 or absent: 3/4 of the machine's memory). */
  maxMemoryBytes?: number;
}

export interface TrainerRun {
  pid: number;
  result: Promise<StartRunResult>;
  /** JSON-RPC cancellation; the process is killed if it has not stopped killAfterMs later. */
  cancel(): void;
  /** Stops the process now (a second Ctrl-C): the run ends `cancelled`. */
  kill(): void;
  /** Resolves when the process has exited (at most `ms` later). */
  exited(ms?: number): Promise<void>;
}

export function startTrainer(runId: string, spec: RunSpec, sink: RunSink, opts: TrainerOptions, artifactsDir?: string): TrainerRun {
  const { child, connection } = forkTrainerProcess(opts);
  const t0 = Date.now();
  let cancelled = false;
  let settled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const cts = new CancellationTokenSource();
  const time = () => new Date().toISOString();
  const pipeLines = (stream: NodeJS.ReadableStream | null, level: 'info' | 'warn') => {
    let buf = '';
    stream?.on('data', (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trimEnd();
        buf = buf.slice(i + 1);
        // Dawn (the WebGPU backend) prints its own notes about adapter limits and build paths while adapters are
        // probed: kept in the log at debug level, not shown to the user as warnings
        const noise = /artificially reduced|third_party\/dawn|\/__w\/|dawn_native|^Warning: .*(Dawn|Vulkan|adapter)/i.test(line);
        if (line) sink.log({ level: noise ? 'debug' : level, message: `[trainer ${level === 'warn' ? 'stderr' : 'stdout'}] ${line}`, time: time() });
      }
    });
  };
  pipeLines(child.stdout, 'info');
  pipeLines(child.stderr, 'warn');

  connection.onNotification(LogNotification, (l) => sink.log(l));
  connection.onNotification(BackendNotification, (b) => sink.backend(b));
  connection.onNotification(DatasetNotification, (d) => sink.dataset(d));
  connection.onNotification(EpochNotification, (m) => sink.epoch(m));
  connection.onNotification(LossNotification, (p) => sink.loss(p));
  connection.onNotification(ArtifactNotification, (f) => sink.artifact(f));
  connection.onNotification(ProgressNotification, (p) => sink.progress(p));
  connection.listen();

  const exited = new Promise<StartRunResult>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      if (killTimer) clearTimeout(killTimer);
      if (settled) return; // the run already delivered its result; this is our own clean-up
      const seconds = (Date.now() - t0) / 1000;
      if (cancelled) {
        const s = emptySummary(runId, spec, 'cancelled', 'run cancelled (trainer stopped)');
        s.seconds = seconds;
        resolve({ summary: s });
        return;
      }
      const why = signal
        ? `trainer process was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}`
        : `trainer process exited with code ${code}${code === 134 ? ' (out of memory?)' : ''} before the run finished`;
      sink.log({ level: 'error', message: why, time: time() });
      const s = emptySummary(runId, spec, 'failed', why);
      s.seconds = seconds;
      resolve({ summary: s, errorKind: 'runtime' });
    };
    child.once('exit', done);
    child.once('error', (e) => {
      sink.log({ level: 'error', message: `trainer process could not start: ${e.message}`, time: time() });
      resolve({ summary: emptySummary(runId, spec, 'failed', `trainer process could not start (${opts.nodePath || process.execPath}): ${e.message}`), errorKind: 'runtime' });
    });
  });

  const requested = connection.sendRequest(StartRunRequest, { runId, spec, artifactsDir, maxMemoryBytes: opts.maxMemoryBytes }, cts.token).then(
    (r) => r,
    () => undefined, // connection closed or request cancelled: the exit handler decides
  );

  const result = (async () => {
    const r = await Promise.race([requested, exited]);
    if (r) {
      settled = true;
      // the request finished: let the process go
      setTimeout(() => {
        connection.dispose();
        if (child.exitCode === null) child.kill();
      }, 50);
      if (cancelled && r.summary.status !== 'cancelled') r.summary.status = 'cancelled';
      return r;
    }
    return exited;
  })();

  return {
    pid: child.pid ?? 0,
    result,
    exited(ms = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((res) => {
        const t = setTimeout(res, ms);
        child.once('exit', () => { clearTimeout(t); res(); });
      });
    },
    kill() {
      cancelled = true;
      cts.cancel();
      if (child.exitCode === null) child.kill('SIGKILL');
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      cts.cancel();
      killTimer = setTimeout(() => {
        if (child.exitCode === null) {
          sink.log({ level: 'warn', message: `trainer did not stop within ${(opts.killAfterMs ?? 5000) / 1000} s of the cancel; killed`, time: time() });
          child.kill('SIGKILL');
        }
      }, opts.killAfterMs ?? 5000);
    },
  };
}
