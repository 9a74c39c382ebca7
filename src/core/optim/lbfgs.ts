/**
 * L-BFGS with scipy's L-BFGS-B behaviour for an unbounded problem: history m, H₀ = (sᵀy / yᵀy)·I, a Moré–Thuente
 * strong-Wolfe line search (ftol 1e-3, gtol 0.9, xtol 0.1, at most 20 evaluations), first step 1/‖d‖ on the first
 * iteration of a run, and scipy's stopping rules: relative reduction (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)
 * ≤ ftol (2.2e-9), ‖g‖∞ ≤ gtol (1e-5), maxiter, maxfun. History, directions and line-search arithmetic are float64.
 *
 * `Lbfgs` keeps the point between runs; `restart()` drops the history so that each "epoch" is a fresh L-BFGS
 * run from the current weights, as the GLocal-K and kernelNet reference code do (scipy minimize per epoch).
 */
import { moreThuente } from './lineSearch';

export interface Objective {
  /** Value and gradient at x (x must not be kept by the callee). */
  evaluate(x: Float64Array): Promise<{ f: number; g: Float64Array }>;
}

export interface LbfgsOptions {
  m: number;
  maxiter: number;
  maxfun: number;
  ftol: number;
  gtol: number;
  maxLineSearch: number;
}

export const SCIPY_DEFAULTS: LbfgsOptions = { m: 10, maxiter: 15000, maxfun: 15000, ftol: 2.220446049250313e-9, gtol: 1e-5, maxLineSearch: 20 };

export type StopReason = 'maxiter' | 'maxfun' | 'ftol' | 'gtol' | 'line-search' | 'cancelled';

export interface LbfgsRunResult {
  f: number;
  iterations: number;
  evaluations: number;
  reason: StopReason;
  message: string;
}

export interface IterationInfo {
  iteration: number;
  f: number;
  gnorm: number;
  evaluations: number;
  step: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

export class Lbfgs {
  readonly opts: LbfgsOptions;
  private s: Float64Array[] = [];
  private y: Float64Array[] = [];
  private rho: number[] = [];
  private x: Float64Array;
  private fx: number | undefined;
  private gx: Float64Array | undefined;
  /** Total evaluations over all runs. */
  totalEvaluations = 0;

  constructor(private readonly objective: Objective, x0: Float64Array, opts: Partial<LbfgsOptions> = {}) {
    this.opts = { ...SCIPY_DEFAULTS, ...opts };
    this.x = Float64Array.from(x0);
  }

  get point(): Float64Array {
    return this.x;
  }

  /** Forget the curvature history (the next run starts like a fresh scipy minimize call). */
  restart(): void {
    this.s = [];
    this.y = [];
    this.rho = [];
  }

  private async eval(x: Float64Array): Promise<{ f: number; g: Float64Array }> {
    this.totalEvaluations++;
    return this.objective.evaluate(x);
  }

  /**
   * Two-loop recursion: d = −H·g. Each vector update is fused with the next dot product (one pass over the
   * parameters instead of two), which halves the memory traffic on million-parameter models; the arithmetic and
   * its order are those of the textbook two loops.
   */
  private direction(g: Float64Array): Float64Array {
    const k = this.s.length;
    const n = g.length;
    const q = Float64Array.from(g);
    if (k === 0) {
      for (let j = 0; j < n; j++) q[j] = -q[j];
      return q;
    }
    const S = this.s;
    const Y = this.y;
    const rho = this.rho;
    const alpha = new Float64Array(k);
    alpha[k - 1] = rho[k - 1] * dot(S[k - 1], q);
    for (let i = k - 1; i >= 1; i--) {
      const a = alpha[i];
      const yi = Y[i];
      const sp = S[i - 1];
      let acc = 0;
      for (let j = 0; j < n; j++) {
        q[j] -= a * yi[j];
        acc += sp[j] * q[j];
      }
      alpha[i - 1] = rho[i - 1] * acc;
    }
    const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
    let beta: number;
    {
      const a = alpha[0];
      const y0 = Y[0];
      let acc = 0;
      for (let j = 0; j < n; j++) {
        q[j] = (q[j] - a * y0[j]) * gamma;
        acc += y0[j] * q[j];
      }
      beta = rho[0] * acc;
    }
    for (let i = 0; i < k - 1; i++) {
      const c = alpha[i] - beta;
      const si = S[i];
      const yn = Y[i + 1];
      let acc = 0;
      for (let j = 0; j < n; j++) {
        q[j] += si[j] * c;
        acc += yn[j] * q[j];
      }
      beta = rho[i + 1] * acc;
    }
    const c = alpha[k - 1] - beta;
    const sl = S[k - 1];
    for (let j = 0; j < n; j++) q[j] = -(q[j] + sl[j] * c);
    return q;
  }

  /**
   * One L-BFGS run of at most `maxiter` iterations (and `maxfun` evaluations) from the current point.
   * `onIteration` is awaited after every iteration; `isCancelled()` returning true stops the run before the next one.
   */
  async run(opts: { maxiter?: number; maxfun?: number; onIteration?: (i: IterationInfo) => void | Promise<void>; isCancelled?: () => boolean } = {}): Promise<LbfgsRunResult> {
    const maxiter = opts.maxiter ?? this.opts.maxiter;
    const maxfun = opts.maxfun ?? this.opts.maxfun;
    const n = this.x.length;
    let evaluations = 0;
    if (this.fx === undefined || this.gx === undefined) {
      const r = await this.eval(this.x);
      evaluations++;
      this.fx = r.f;
      this.gx = r.g;
    }
    let f = this.fx;
    let g = this.gx;
    if (!Number.isFinite(f)) return { f, iterations: 0, evaluations, reason: 'line-search', message: `loss is ${f} at the starting point` };
    if (infNorm(g) <= this.opts.gtol) return { f, iterations: 0, evaluations, reason: 'gtol', message: 'projected gradient is already below gtol' };
    let iter = 0;
    const xt = new Float64Array(n);
    let gt: Float64Array = new Float64Array(n);
    let ft = f;
    for (;;) {
      if (opts.isCancelled?.()) return { f, iterations: iter, evaluations, reason: 'cancelled', message: 'cancelled' };
      let d = this.direction(g);
      let gd = dot(g, d);
      if (!(gd < 0)) {
        // not a descent direction (numerical trouble): restart from steepest descent, as L-BFGS-B does
        this.restart();
        d = this.direction(g);
        gd = dot(g, d);
      }
      const dnorm = Math.sqrt(dot(d, d));
      const stp0 = iter === 0 && this.s.length === 0 ? Math.min(1 / dnorm, 1e10) : 1;
      const x0 = this.x;
      const ls = await moreThuente(
        async (stp) => {
          for (let i = 0; i < n; i++) xt[i] = x0[i] + stp * d[i];
          const r = await this.eval(xt);
          evaluations++;
          ft = r.f;
          gt = r.g; // the objective returns a fresh array each time: no copy needed
          return { f: ft, g: dot(gt, d) };
        },
        f, gd, stp0, { ftol: 1e-3, gtol: 0.9, xtol: 0.1, stpmin: 0, stpmax: 1e10, maxEvals: this.opts.maxLineSearch },
      );
      if (ls.outcome === 'failed' || !Number.isFinite(ft)) {
        // L-BFGS-B: restore the last point; with history, retry from steepest descent, else stop
        if (this.s.length > 0) {
          this.restart();
          if (evaluations >= maxfun) return { f, iterations: iter, evaluations, reason: 'maxfun', message: 'evaluation limit reached' };
          continue;
        }
        return { f, iterations: iter, evaluations, reason: 'line-search', message: `line search failed: ${ls.message}` };
      }
      // accept the step
      const s = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        s[i] = xt[i] - x0[i];
        y[i] = gt[i] - g[i];
      }
      const fOld = f;
      this.x = xt.slice();
      f = ft;
      g = gt;
      this.fx = f;
      this.gx = g;
      iter++;
      const gnorm = infNorm(g);
      await opts.onIteration?.({ iteration: iter, f, gnorm, evaluations, step: ls.stp });
      if (gnorm <= this.opts.gtol) return { f, iterations: iter, evaluations, reason: 'gtol', message: 'projected gradient below gtol' };
      if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= this.opts.ftol) return { f, iterations: iter, evaluations, reason: 'ftol', message: 'relative reduction of f below ftol' };
      const sy = dot(s, y);
      if (sy > 2.2e-16 * dot(y, y)) {
        this.s.push(s);
        this.y.push(y);
        this.rho.push(1 / sy);
        if (this.s.length > this.opts.m) {
          this.s.shift();
          this.y.shift();
          this.rho.shift();
        }
      }
      if (iter >= maxiter) return { f, iterations: iter, evaluations, reason: 'maxiter', message: 'iteration limit reached' };
      if (evaluations >= maxfun) return { f, iterations: iter, evaluations, reason: 'maxfun', message: 'evaluation limit reached' };
    }
  }
}
