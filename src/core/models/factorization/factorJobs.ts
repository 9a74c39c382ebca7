/**
 * Factorisation jobs on worker threads (LLORMA's local models, its distance SVD and its global baseline): each job
 * runs SGD passes (./sgdFactors.ts sgdPass) over the shared training ratings until its loss settles, on its own
 * factor matrices, so jobs are independent and their results do not depend on how many threads run them or in which
 * order they finish. The ratings live once in SharedArrayBuffers; a job's factors travel to the worker and back
 * (transferred, not copied). A shared flag cancels every running job at its next pass.
 *
 * The workers get the source text of sgdPass and runFactorJob (self-contained functions), as linalg/parallel.ts does,
 * and run the WebAssembly version of the pass (./sgdPass.wat) where the runtime supports it.
 */
import { Worker } from 'worker_threads';
import { sgdPass, type Csr } from './sgdFactors';
import { SGD_PASS_WASM } from './sgdPass.wasm';

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
 * Runs a job's passes until its loss settles; null when the cancel flag is raised. `pass` runs one SGD pass over all
 * ratings on the job's factors and writes Σe², Σ|e| into its argument. Self-contained (the workers get its text).
 */
export function runFactorJob(j: FactorJob, nRatings: number, cancel: Int32Array, pass: (sums: Float64Array) => void): { rounds: number; loss: number; settled: boolean } | null {
  const sums = new Float64Array(2);
  const n = Math.max(1, nRatings);
  let prev = Infinity;
  let loss = NaN;
  let rounds = 0;
  let settled = false;
  for (let r = 1; r <= j.maxRounds; r++) {
    if (Atomics.load(cancel, 0) !== 0) return null;
    pass(sums);
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

/** Byte offsets of a worker's scratch rows in the shared WebAssembly memory. */
interface Slot {
  U: number;
  V: number;
  wu: number;
  wi: number;
  out: number;
}

const WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
const sgdPass = (${sgdPass.toString()});
const runFactorJob = (${runFactorJob.toString()});
let d;
let wasmPass;
parentPort.on('message', (m) => {
  if (m.type === 'init') {
    d = m;
    if (m.wasm) wasmPass = new WebAssembly.Instance(new WebAssembly.Module(m.wasm), { env: { memory: m.memory } }).exports.pass;
    return;
  }
  const j = m.job;
  const t0 = Date.now();
  try {
    let pass;
    let finish = () => undefined;
    if (wasmPass) {
      // the job's rows go to this worker's slot of the shared memory, and back when it is done
      const buf = d.memory.buffer;
      const L = d.slot;
      const Uw = new Float64Array(buf, L.U, j.U.length);
      const Vw = new Float64Array(buf, L.V, j.V.length);
      Uw.set(j.U);
      Vw.set(j.V);
      if (j.wu) {
        new Float64Array(buf, L.wu, j.wu.length).set(j.wu);
        new Float64Array(buf, L.wi, j.wi.length).set(j.wi);
      }
      const out = new Float64Array(buf, L.out, 2);
      const o = d.offsets;
      pass = (s) => {
        wasmPass(o.rowPtr, o.cols, o.vals, 0, d.nUsers, L.U, L.V, j.k, j.lr, j.reg, L.wu, L.wi, j.wu ? 1 : 0, L.out);
        s[0] = out[0];
        s[1] = out[1];
      };
      finish = () => { j.U.set(Uw); j.V.set(Vw); };
    } else {
      pass = (s) => sgdPass(d.rowPtr, d.cols, d.vals, 0, d.nUsers, j.U, j.V, j.k, j.lr, j.reg, j.wu, j.wi, s);
    }
    const r = runFactorJob(j, d.nRatings, d.cancel, pass);
    finish();
    parentPort.postMessage({ id: m.id, result: r, U: j.U, V: j.V, seconds: (Date.now() - t0) / 1000 }, [j.U.buffer, j.V.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

let wasmProbe: { bytes?: Uint8Array } | undefined;

/** The WebAssembly pass's binary, when this runtime can run it (SIMD and shared memory); undefined otherwise. Probed
 * once per process. */
function wasmBinary(): Uint8Array | undefined {
  if (wasmProbe) return wasmProbe.bytes;
  wasmProbe = {};
  try {
    const bytes = Buffer.from(SGD_PASS_WASM, 'base64');
    if (!WebAssembly.validate(bytes)) return undefined;
    const probe = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: probe } });
    wasmProbe.bytes = new Uint8Array(bytes);
  } catch {
    wasmProbe.bytes = undefined;
  }
  return wasmProbe.bytes;
}

export type FactorEngine = 'wasm' | 'js';

interface Pending {
  id: number;
  job: FactorJob;
  resolve: (r: FactorJobResult | null) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of `threads` workers over one ratings matrix. `run` queues a job (first come, first served) and resolves
 * with its trained factors, or null when the pool was cancelled; `close` stops the workers.
 *
 * Engine: the WebAssembly pass (./sgdPass.wat; bit-identical to the TypeScript one, about twice as fast) when the
 * runtime supports it, the TypeScript pass otherwise. With WebAssembly the ratings are copied once into a shared
 * memory that also holds each worker's scratch rows (for factors of rank ≤ maxRank).
 */
export class FactorJobPool {
  private readonly workers: { w: Worker; busy?: Pending }[] = [];
  private readonly queue: Pending[] = [];
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private failure?: Error;
  private closed = false;
  readonly engine: FactorEngine;
  /** The ratings as the workers see them (views on shared memory). */
  readonly csr: Csr;
  private readonly maxRank: number;

  constructor(source: Csr, threads: number, opts: { maxRank: number; engine?: FactorEngine }) {
    const n = Math.max(1, Math.floor(threads));
    const { nUsers, nItems } = source;
    const nnz = source.cols.length;
    this.maxRank = opts.maxRank;
    const bytes = opts.engine === 'js' ? undefined : wasmBinary();
    if (opts.engine === 'wasm' && !bytes) throw new Error('this runtime cannot run the WebAssembly SGD pass (it needs SIMD and shared memory)');
    this.engine = bytes ? 'wasm' : 'js';
    const align = (x: number) => Math.ceil(x / 16) * 16;
    let memory: WebAssembly.Memory | undefined;
    let offsets = { rowPtr: 0, cols: 0, vals: 0 };
    const slots: Slot[] = [];
    if (bytes) {
      offsets = { rowPtr: 0, cols: align(4 * (nUsers + 1)), vals: 0 };
      offsets.vals = align(offsets.cols + 4 * nnz);
      let top = align(offsets.vals + 4 * nnz);
      for (let t = 0; t < n; t++) {
        const U = top;
        const V = align(U + 8 * nUsers * opts.maxRank);
        const wu = align(V + 8 * nItems * opts.maxRank);
        const wi = align(wu + 8 * nUsers);
        const out = align(wi + 8 * nItems);
        top = out + 16;
        slots.push({ U, V, wu, wi, out });
      }
      const pages = Math.ceil(top / 65536);
      if (pages > 65536) throw Object.assign(new Error(`the ratings and ${n} worker slots need ${(top / 2 ** 30).toFixed(1)} GiB, above WebAssembly's 4 GiB: use fewer threads`), { input: true });
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      const buf = memory.buffer;
      this.csr = { nUsers, nItems, rowPtr: new Int32Array(buf, offsets.rowPtr, nUsers + 1), cols: new Int32Array(buf, offsets.cols, nnz), vals: new Float32Array(buf, offsets.vals, nnz) };
    } else {
      const sab = <T extends Int32Array | Float32Array>(a: T, C: { new (b: SharedArrayBuffer): T }): T =>
        a.buffer instanceof SharedArrayBuffer ? a : new C(new SharedArrayBuffer(a.length * 4));
      this.csr = { nUsers, nItems, rowPtr: sab(source.rowPtr, Int32Array), cols: sab(source.cols, Int32Array), vals: sab(source.vals, Float32Array) };
    }
    if (this.csr.rowPtr !== source.rowPtr) this.csr.rowPtr.set(source.rowPtr);
    if (this.csr.cols !== source.cols) this.csr.cols.set(source.cols);
    if (this.csr.vals !== source.vals) this.csr.vals.set(source.vals);
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
      w.postMessage(bytes
        ? { type: 'init', wasm: bytes, memory, offsets, slot: slots[t], nUsers, nRatings: nnz, cancel: this.cancelFlag }
        : { type: 'init', rowPtr: this.csr.rowPtr, cols: this.csr.cols, vals: this.csr.vals, nUsers, nRatings: nnz, cancel: this.cancelFlag });
      this.workers.push(slot);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  run(job: FactorJob): Promise<FactorJobResult | null> {
    if (job.k > this.maxRank) return Promise.reject(new Error(`a job of rank ${job.k} in a pool for rank ≤ ${this.maxRank}`));
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
