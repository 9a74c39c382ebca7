/**
 * The energy of spectral geometric matrix completion (Boyarski, Vedula, Bronstein; MODELS.md "SGMC / DMF") and its
 * gradient, written by hand (one forward and one backward sweep of dense products, float64, BLAS dgemm when
 * available):
 *   C_new = P C Qᵀ (m×n),  X = Φ C_new Ψᵀ,
 *   E = ‖(X − M) ⊙ S‖² + µ_r tr(C_newᵀ Λ_r C_new) + µ_c tr(C_new Λ_c C_newᵀ)
 *       + ρ_r ‖off(Pᵀ Λ_r P)‖² + ρ_c ‖off(Qᵀ Λ_c Q)‖²
 * Gradients (G = ∂E/∂C_new = Φᵀ 2((X − M) ⊙ S) Ψ + 2µ_r Λ_r C_new + 2µ_c C_new Λ_c):
 *   ∂E/∂C = Pᵀ G Q,  ∂E/∂P = G Q Cᵀ + 4ρ_r Λ_r P off(Pᵀ Λ_r P),  ∂E/∂Q = Gᵀ P C + 4ρ_c Λ_c Q off(Qᵀ Λ_c Q)
 * DMF is Φ = Ψ = I with µ = ρ = 0; FM is P = I, Q = I (only C, m×n, trained).
 */
import { loadBlas } from '../../linalg/blas';

/** Row-major dense matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export const mat = (rows: number, cols: number, data: Float64Array = new Float64Array(rows * cols)): Mat => ({ rows, cols, data });

/** C = op(A)·op(B) (row-major; op = transpose when ta/tb). dgemm when a BLAS has it, else loops. */
export function gemm(ta: boolean, tb: boolean, A: Mat, B: Mat): Mat {
  const m = ta ? A.cols : A.rows;
  const k = ta ? A.rows : A.cols;
  const kb = tb ? B.cols : B.rows;
  const n = tb ? B.rows : B.cols;
  if (k !== kb) throw new Error(`gemm: ${A.rows}×${A.cols}${ta ? 'ᵀ' : ''} · ${B.rows}×${B.cols}${tb ? 'ᵀ' : ''}`);
  const C = mat(m, n);
  if (m === 0 || n === 0 || k === 0) return C;
  const blas = loadBlas().blas;
  if (blas?.dgemm && m * n * k > 4096) {
    blas.dgemm(ta, tb, m, n, k, 1, A.data, A.cols, B.data, B.cols, 0, C.data, n);
    return C;
  }
  const a = A.data;
  const b = B.data;
  const c = C.data;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = ta ? a[p * A.cols + i] : a[i * A.cols + p];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += x * (tb ? b[j * B.cols + p] : b[p * B.cols + j]);
    }
  }
  return C;
}

/** 10^{−α}·I, rectangular (rows × cols). */
export function scaledIdentity(rows: number, cols: number, alpha: number): Mat {
  const M = mat(rows, cols);
  const s = 10 ** -alpha;
  for (let i = 0; i < Math.min(rows, cols); i++) M.data[i * cols + i] = s;
  return M;
}

export interface SpectralProblem {
  /** Targets and mask (m×n, row-major); S is 1 on the training entries. */
  M: Float64Array;
  S: Float64Array;
  m: number;
  n: number;
  /** Eigenbases (m×m, n×n, eigenvectors as columns) and eigenvalues; undefined = identity basis, zero eigenvalues. */
  Phi?: Mat;
  Psi?: Mat;
  lambdaR?: Float64Array;
  lambdaC?: Float64Array;
  muR: number;
  muC: number;
  rhoR: number;
  rhoC: number;
  /**
   * SGMC-Z (the paper's zoom-out, Eq. 22): the data term is summed over the filter bank X_{p_k,q_k} =
   * Φ[:, :p_k] C_new[:p_k, :q_k] Ψ[:, :q_k]ᵀ, p_k = min(m, 1 + k·pSkip), q_k = min(n, 1 + k·qSkip), k = 0, 1, … up to
   * the first k where both reach the full size — pairs of equal k, not all (p, q) pairs (the zoom-out schedule
   * refines rows and columns together). The prediction is the full-resolution X. Needs both bases.
   */
  zoom?: { pSkip: number; qSkip: number };
}

/** The (p, q) resolutions of the zoom-out filter bank, coarse to full. */
export function zoomLevels(m: number, n: number, pSkip: number, qSkip: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; ; k++) {
    const p = Math.min(m, 1 + k * pSkip);
    const q = Math.min(n, 1 + k * qSkip);
    out.push([p, q]);
    if (p === m && q === n) return out;
  }
}

/** The first c columns of a row-major matrix. */
function leftCols(A: Mat, c: number): Mat {
  if (c === A.cols) return A;
  const out = mat(A.rows, c);
  for (let i = 0; i < A.rows; i++) out.data.set(A.data.subarray(i * A.cols, i * A.cols + c), i * c);
  return out;
}

/** The top-left r×c block of a row-major matrix. */
function block(A: Mat, r: number, c: number): Mat {
  return leftCols(r === A.rows ? A : mat(r, A.cols, A.data.subarray(0, r * A.cols)), c);
}

export interface SpectralParams {
  /** m×p, p×q, n×q; P or Q undefined = identity (FM). */
  P?: Mat;
  C: Mat;
  Q?: Mat;
}

export interface EnergyTerms {
  total: number;
  data: number;
  dirichlet: number;
  diagonalisation: number;
}

export interface Evaluation {
  energy: EnergyTerms;
  /** C_new (m×n) and X (m×n): the prediction. */
  Cnew: Mat;
  X: Mat;
  grad?: { P?: Mat; C: Mat; Q?: Mat };
}

/** off(A) of a square matrix and ‖off(A)‖². */
function offDiag(A: Mat): { off: Mat; sq: number } {
  const off = mat(A.rows, A.cols, Float64Array.from(A.data));
  let sq = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      if (i === j) off.data[i * A.cols + j] = 0;
      else sq += off.data[i * A.cols + j] ** 2;
    }
  }
  return { off, sq };
}

/** diag(λ)·A (rows scaled). */
function scaleRows(A: Mat, l: Float64Array): Mat {
  const out = mat(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out.data[i * A.cols + j] = l[i] * A.data[i * A.cols + j];
  return out;
}

/** The energy terms, the prediction and (when asked) the gradient with respect to the given parameters. */
export function evaluate(pr: SpectralProblem, th: SpectralParams, wantGrad: boolean): Evaluation {
  const { m, n } = pr;
  const PC = th.P ? gemm(false, false, th.P, th.C) : th.C;
  const Cnew = th.Q ? gemm(false, true, PC, th.Q) : PC;
  if (Cnew.rows !== m || Cnew.cols !== n) throw new Error(`C_new is ${Cnew.rows}×${Cnew.cols}, the matrix ${m}×${n}`);
  const left = pr.Phi ? gemm(false, false, pr.Phi, Cnew) : Cnew;
  const X = pr.Psi ? gemm(false, true, left, pr.Psi) : left;
  const R = mat(m, n);
  let data = 0;
  for (let k = 0; k < m * n; k++) {
    const r = (X.data[k] - pr.M[k]) * pr.S[k];
    R.data[k] = r;
    data += r * r;
  }
  // SGMC-Z: the coarser levels' data terms, with their gradients with respect to C_new (the full level is X above)
  let zoomGrad: Mat | undefined;
  if (pr.zoom) {
    if (!pr.Phi || !pr.Psi) throw new Error('SGMC-Z needs both graph eigenbases');
    zoomGrad = mat(m, n);
    for (const [p, q] of zoomLevels(m, n, pr.zoom.pSkip, pr.zoom.qSkip)) {
      if (p === m && q === n) continue;
      const Pp = leftCols(pr.Phi, p);
      const Qq = leftCols(pr.Psi, q);
      const Xk = gemm(false, true, gemm(false, false, Pp, block(Cnew, p, q)), Qq);
      const Rk = mat(m, n);
      for (let x = 0; x < m * n; x++) {
        const r = (Xk.data[x] - pr.M[x]) * pr.S[x];
        Rk.data[x] = 2 * r;
        data += r * r;
      }
      if (!wantGrad) continue;
      const Gk = gemm(false, false, gemm(true, false, Pp, Rk), Qq); // p×q
      for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) zoomGrad.data[i * n + j] += Gk.data[i * q + j];
    }
  }
  let dirichlet = 0;
  if (pr.lambdaR && pr.muR) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dirichlet += pr.muR * pr.lambdaR[i] * Cnew.data[i * n + j] ** 2;
  if (pr.lambdaC && pr.muC) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dirichlet += pr.muC * pr.lambdaC[j] * Cnew.data[i * n + j] ** 2;
  let diagonalisation = 0;
  let offP: Mat | undefined;
  let offQ: Mat | undefined;
  if (th.P && pr.lambdaR && pr.rhoR) {
    const o = offDiag(gemm(true, false, th.P, scaleRows(th.P, pr.lambdaR)));
    offP = o.off;
    diagonalisation += pr.rhoR * o.sq;
  }
  if (th.Q && pr.lambdaC && pr.rhoC) {
    const o = offDiag(gemm(true, false, th.Q, scaleRows(th.Q, pr.lambdaC)));
    offQ = o.off;
    diagonalisation += pr.rhoC * o.sq;
  }
  const energy = { total: data + dirichlet + diagonalisation, data, dirichlet, diagonalisation };
  if (!wantGrad) return { energy, Cnew, X };
  // G = Φᵀ (2R) Ψ + 2µ_r Λ_r C_new + 2µ_c C_new Λ_c
  for (let k = 0; k < m * n; k++) R.data[k] *= 2;
  const GL = pr.Phi ? gemm(true, false, pr.Phi, R) : R;
  const G = pr.Psi ? gemm(false, false, GL, pr.Psi) : GL;
  if (zoomGrad) for (let x = 0; x < m * n; x++) G.data[x] += zoomGrad.data[x];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const c = Cnew.data[i * n + j];
      let g = 0;
      if (pr.lambdaR && pr.muR) g += 2 * pr.muR * pr.lambdaR[i] * c;
      if (pr.lambdaC && pr.muC) g += 2 * pr.muC * pr.lambdaC[j] * c;
      if (g !== 0) G.data[i * n + j] += g;
    }
  }
  // ∂C = Pᵀ G Q
  const GQ = th.Q ? gemm(false, false, G, th.Q) : G;
  const dC = th.P ? gemm(true, false, th.P, GQ) : GQ;
  const grad: Evaluation['grad'] = { C: dC === G ? mat(G.rows, G.cols, Float64Array.from(G.data)) : dC };
  if (th.P) {
    const dP = gemm(false, true, GQ, th.C);
    if (offP && pr.lambdaR) {
      const t = scaleRows(gemm(false, false, th.P, offP), pr.lambdaR);
      for (let k = 0; k < dP.data.length; k++) dP.data[k] += 4 * pr.rhoR * t.data[k];
    }
    grad.P = dP;
  }
  if (th.Q) {
    const dQ = gemm(true, false, G, PC);
    if (offQ && pr.lambdaC) {
      const t = scaleRows(gemm(false, false, th.Q, offQ), pr.lambdaC);
      for (let k = 0; k < dQ.data.length; k++) dQ.data[k] += 4 * pr.rhoC * t.data[k];
    }
    grad.Q = dQ;
  }
  return { energy, Cnew, X, grad };
}
