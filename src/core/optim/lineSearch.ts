/**
 * Moré–Thuente line search (MINPACK-2 dcsrch/dcstep), the one L-BFGS-B uses. Finds a step satisfying the
 * strong Wolfe conditions  f(a) ≤ f(0) + ftol·a·f'(0)  and  |f'(a)| ≤ gtol·|f'(0)|.
 * Written from the published algorithm (Moré & Thuente 1994, ACM TOMS 20(3)); all arithmetic in float64.
 */

export interface LinePoint {
  f: number;
  /** Directional derivative at the step. */
  g: number;
}

export interface LineSearchOptions {
  ftol: number;
  gtol: number;
  xtol: number;
  stpmin: number;
  stpmax: number;
  /** Function evaluations allowed (L-BFGS-B: 20). */
  maxEvals: number;
}

export type LineSearchOutcome = 'converged' | 'warning' | 'failed';

export interface LineSearchResult {
  outcome: LineSearchOutcome;
  stp: number;
  evals: number;
  message: string;
}

interface Interval {
  stx: number; fx: number; dx: number;
  sty: number; fy: number; dy: number;
  brackt: boolean;
}

/** One safeguarded step update (dcstep). Mutates the interval; returns the new trial step. */
export function dcstep(iv: Interval, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, dx, sty, fy, dy } = iv;
  const sgnd = dp * Math.sign(dx);
  let stpf: number;
  if (fp > fx) {
    // 1: higher function value — the minimum is bracketed
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const r = p / q;
    const stpc = stx + r * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    iv.brackt = true;
  } else if (sgnd < 0) {
    // 2: lower value, derivatives of opposite sign — bracketed
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const r = p / q;
    const stpc = stp + r * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    iv.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    // 3: lower value, same sign, derivative magnitude decreases
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const s = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dx / s) * (dp / s)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    let stpc: number;
    if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
    else if (stp > stx) stpc = stpmax;
    else stpc = stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (iv.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else {
    // 4: lower value, same sign, derivative magnitude does not decrease
    if (iv.brackt) {
      const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
      const s = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
      let gamma = s * Math.sqrt(Math.max(0, (theta / s) ** 2 - (dy / s) * (dp / s)));
      if (stp > sty) gamma = -gamma;
      const p = gamma - dp + theta;
      const q = gamma - dp + gamma + dy;
      const r = p / q;
      stpf = stp + r * (sty - stp);
    } else {
      stpf = stp > stx ? stpmax : stpmin;
    }
  }
  // update the interval of uncertainty
  if (fp > fx) {
    iv.sty = stp; iv.fy = fp; iv.dy = dp;
  } else {
    if (sgnd < 0) {
      iv.sty = stx; iv.fy = fx; iv.dy = dx;
    }
    iv.stx = stp; iv.fx = fp; iv.dx = dp;
  }
  return stpf;
}

/**
 * Searches along a direction. `phi(stp)` evaluates the objective at x + stp·d and returns f and the
 * directional derivative; the caller keeps the point of the last evaluation (which is the returned step).
 */
export async function moreThuente(phi: (stp: number) => Promise<LinePoint>, f0: number, g0: number, stp0: number, o: LineSearchOptions): Promise<LineSearchResult> {
  if (!(g0 < 0)) return { outcome: 'failed', stp: 0, evals: 0, message: 'not a descent direction' };
  const xtrapl = 1.1;
  const xtrapu = 4.0;
  const gtest = o.ftol * g0;
  let width = o.stpmax - o.stpmin;
  let width1 = 2 * width;
  const iv: Interval = { stx: 0, fx: f0, dx: g0, sty: 0, fy: f0, dy: g0, brackt: false };
  let stage = 1;
  let stmin = 0;
  let stmax = stp0 + xtrapu * stp0;
  let stp = Math.max(o.stpmin, Math.min(o.stpmax, stp0));
  for (let evals = 1; evals <= o.maxEvals; evals++) {
    const { f, g } = await phi(stp);
    if (!Number.isFinite(f) || !Number.isFinite(g)) {
      // a step into a region where the loss overflows: shrink towards the best point so far
      if (evals === o.maxEvals) return { outcome: 'failed', stp, evals, message: 'non-finite loss along the search direction' };
      iv.brackt = true;
      iv.sty = stp; iv.fy = Infinity; iv.dy = 0;
      stp = iv.stx + 0.5 * (stp - iv.stx);
      stmin = Math.min(iv.stx, stp); stmax = Math.max(iv.stx, iv.sty);
      continue;
    }
    const ftest = f0 + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    if (iv.brackt && (stp <= stmin || stp >= stmax)) return { outcome: 'warning', stp, evals, message: 'rounding errors prevent progress' };
    if (iv.brackt && stmax - stmin <= o.xtol * stmax) return { outcome: 'warning', stp, evals, message: 'xtol test satisfied' };
    if (stp === o.stpmax && f <= ftest && g <= gtest) return { outcome: 'warning', stp, evals, message: 'stp = stpmax' };
    if (stp === o.stpmin && (f > ftest || g >= gtest)) return { outcome: 'warning', stp, evals, message: 'stp = stpmin' };
    if (f <= ftest && Math.abs(g) <= o.gtol * -g0) return { outcome: 'converged', stp, evals, message: 'strong Wolfe conditions hold' };
    if (evals === o.maxEvals) break;
    if (stage === 1 && f <= iv.fx && f > ftest) {
      // modified function (ψ) while in the first stage
      const m: Interval = { stx: iv.stx, fx: iv.fx - iv.stx * gtest, dx: iv.dx - gtest, sty: iv.sty, fy: iv.fy - iv.sty * gtest, dy: iv.dy - gtest, brackt: iv.brackt };
      stp = dcstep(m, stp, f - stp * gtest, g - gtest, stmin, stmax);
      iv.stx = m.stx; iv.sty = m.sty; iv.brackt = m.brackt;
      iv.fx = m.fx + m.stx * gtest; iv.fy = m.fy + m.sty * gtest;
      iv.dx = m.dx + gtest; iv.dy = m.dy + gtest;
    } else {
      stp = dcstep(iv, stp, f, g, stmin, stmax);
    }
    if (iv.brackt) {
      if (Math.abs(iv.sty - iv.stx) >= 0.66 * width1) stp = iv.stx + 0.5 * (iv.sty - iv.stx);
      width1 = width;
      width = Math.abs(iv.sty - iv.stx);
      stmin = Math.min(iv.stx, iv.sty);
      stmax = Math.max(iv.stx, iv.sty);
    } else {
      stmin = stp + xtrapl * (stp - iv.stx);
      stmax = stp + xtrapu * (stp - iv.stx);
    }
    stp = Math.max(o.stpmin, Math.min(o.stpmax, stp));
    if ((iv.brackt && (stp <= stmin || stp >= stmax)) || (iv.brackt && stmax - stmin <= o.xtol * stmax)) stp = iv.stx;
  }
  return { outcome: 'failed', stp, evals: o.maxEvals, message: `no acceptable step in ${o.maxEvals} evaluations` };
}
