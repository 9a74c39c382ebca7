/**
 * Factorisation jobs on worker threads (LLORMA's local models, its distance SVD and its global baseline): each job
 * runs SGD passes (./sgdFactors.ts sgdPass) over the shared training ratings until its loss settles, on its own
 * factor matrices, so jobs are independent and their results do not depend on how many threads run them or in which
 * order they finish. The ratings live once in SharedArrayBuffers; a job's factors travel to the worker and back
 * (transferred, not copied). A shared flag cancels every running job at its next pass.
 *
 * The workers get the source text of sgdPass and runFactorJob (self-contained functions), as linalg/parallel.ts does.
 */
import { Worker } from 'worker_threads';
import { sgdPass, type Csr } from './sgdFactors';

export interface FactorJob {
  /** Factors, initialised by the caller (from the job's own seeded stream); trained in place. */
  U: Float64Array;
  V: Float64Array;
  k: number;
  lr: number;
  reg: number;
  /** Kernel weights per user / item (LLORMA's local models); null: every weight 1. */
  wu: Float64Array | null;
  wi: Float64Array | null;
  maxRounds: number;
  /** Stop when the pass's loss changes by at most this much. */
  tol: number;
  /** The stopping loss: mean squared error (LLORMA's local models) or mean absolute error (PREA's SVD). */
  stopOn: 'mse' | 'mae';
}

export interface FactorJobResult {
  U: Float64Array;
  V: Float64Array;
  rounds: number;
  /** The last pass's loss (stopOn), errors before each update, unweighted. */
  loss: number;
  /** Whether the loss settled before maxRounds. */
  settled: boolean;
  seconds: number;
}

/**
 * Runs a job's passes in this thread; null when the cancel flag is raised. Self-contained (workers get its text), so
 * the pass comes as an argument (a compiled module refers to imports through its module object, which a worker's
 * eval source does not have).
 */
export function runFactorJob(
  j: FactorJob, rowPtr: Int32Array, cols: Int32Array, vals: Float32Array, nUsers: number, cancel: Int32Array, pass: typeof sgdPass,
): { rounds: number; loss: number; settled: boolean } | null {
  const sums = new Float64Array(2);
  const n = Math.max(1, vals.length);
  let prev = Infinity;
  let loss = NaN;
  let rounds = 0;
  let settled = false;
  for (let r = 1; r <= j.maxRounds; r++) {
    if (Atomics.load(cancel, 0) !== 0) return null;
    pass(rowPtr, cols, vals, 0, nUsers, j.U, j.V, j.k, j.lr, j.reg, j.wu, j.wi, sums);
    loss = (j.stopOn === 'mae' ? sums[1] : sums[0]) / n;
    rounds = r;
    if (!(loss === loss && loss < Infinity)) break; // diverged: the caller reports it
    if (Math.abs(prev - loss) <= j.tol) {
      settled = true;
      break;
    }
    prev = loss;
  }
  return { rounds, loss, settled };
}

const WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
const sgdPass = (${sgdPass.toString()});
const runFactorJob = (${runFactorJob.toString()});
let d;
parentPort.on('message', (m) => {
  if (m.type === 'init') { d = m; return; }
  const t0 = Date.now();
  try {
    const r = runFactorJob(m.job, d.rowPtr, d.cols, d.vals, d.nUsers, d.cancel, sgdPass);
    parentPort.postMessage({ id: m.id, result: r, U: m.job.U, V: m.job.V, seconds: (Date.now() - t0) / 1000 }, [m.job.U.buffer, m.job.V.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

interface Pending {
  id: number;
  job: FactorJob;
  resolve: (r: FactorJobResult | null) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of `threads` workers over one ratings matrix. `run` queues a job (first come, first served) and resolves
 * with its trained factors, or null when the pool was cancelled; `close` stops the workers.
 */
export class FactorJobPool {
  private readonly workers: { w: Worker; busy?: Pending }[] = [];
  private readonly queue: Pending[] = [];
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private failure?: Error;
  private closed = false;

  constructor(csr: Csr, threads: number) {
    if (!(csr.rowPtr.buffer instanceof SharedArrayBuffer)) throw new Error('FactorJobPool: the ratings must be on shared memory (toCsr(…, true))');
    const n = Math.max(1, Math.floor(threads));
    for (let t = 0; t < n; t++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      const slot: { w: Worker; busy?: Pending } = { w };
      w.on('message', (m: { id: number; result?: { rounds: number; loss: number; settled: boolean } | null; U?: Float64Array; V?: Float64Array; seconds?: number; error?: string }) => {
        const p = slot.busy;
        slot.busy = undefined;
        if (p && p.id === m.id) {
          if (m.error !== undefined) p.reject(new Error(`a factorisation job failed in its worker thread: ${m.error}`));
          else if (!m.result) p.resolve(null);
          else p.resolve({ U: m.U as Float64Array, V: m.V as Float64Array, rounds: m.result.rounds, loss: m.result.loss, settled: m.result.settled, seconds: m.seconds ?? 0 });
        }
        this.dispatch();
      });
      w.on('error', (e) => this.fail(new Error(`a factorisation worker thread failed: ${e.message}`)));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`a factorisation worker thread exited with code ${code} (out of memory?)`));
      });
      w.postMessage({ type: 'init', rowPtr: csr.rowPtr, cols: csr.cols, vals: csr.vals, nUsers: csr.nUsers, cancel: this.cancelFlag });
      this.workers.push(slot);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  run(job: FactorJob): Promise<FactorJobResult | null> {
    if (this.failure) return Promise.reject(this.failure);
    if (Atomics.load(this.cancelFlag, 0) !== 0) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Raises the cancel flag: running jobs stop at their next pass, queued ones resolve null. */
  cancel(): void {
    Atomics.store(this.cancelFlag, 0, 1);
    for (const p of this.queue.splice(0)) p.resolve(null);
  }

  close(): void {
    this.closed = true;
    this.cancel();
    for (const s of this.workers) void s.w.terminate();
    for (const s of this.workers) s.busy?.resolve(null);
  }

  private dispatch(): void {
    for (const s of this.workers) {
      if (s.busy || this.queue.length === 0) continue;
      const p = this.queue.shift() as Pending;
      s.busy = p;
      // the factors move to the worker (they come back with the result); weights are copied
      s.w.postMessage({ type: 'job', id: p.id, job: p.job }, [p.job.U.buffer as ArrayBuffer, p.job.V.buffer as ArrayBuffer]);
    }
  }

  private fail(e: Error): void {
    if (this.failure || this.closed) return;
    this.failure = e;
    for (const s of this.workers) s.busy?.reject(e);
    for (const p of this.queue.splice(0)) p.reject(e);
  }
}
