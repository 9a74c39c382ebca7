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
 * Precision follows the arrays: Float32Array matrices run on sgemm (the paper's code is float32; the default of the
 * models), Float64Array on dgemm (the gradient tests). Sums of the energy are accumulated in float64 either way.
 * When P is wider than tall (p_max > m, as the paper's ML-100K setting), the diagonalisation term is computed
 * through the m×m matrix A = P Pᵀ: ‖off(PᵀΛP)‖² = Σ_ij λ_i λ_j A_ij² − Σ_k d_k² with d = diag(PᵀΛP), and its
 * gradient 4ρ Λ (A Λ P − P diag(d)) — 2·m²·p multiply–adds instead of 2·p²·m (the same for Q).
 */
import { gemm, mat, matLike, type Arr, type Mat } from '../../linalg/dense';

export type { Arr };

export { gemm, mat, matLike, type Mat };

/** 10^{−α}·I, rectangular (rows × cols); float64 unless asked for float32. */
export function scaledIdentity(rows: number, cols: number, alpha: number, f32 = false): Mat {
  const M = f32 ? mat(rows, cols, new Float32Array(rows * cols)) : mat(rows, cols);
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
  const out = matLike(A.data, A.rows, c);
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
  /** C_new (m×n; the factored form leaves it out of gradient evaluations, which do not need it) and X (m×n): the
   * prediction. */
  Cnew?: Mat;
  X: Mat;
  grad?: { P?: Mat; C: Mat; Q?: Mat };
}

/** diag(λ)·A (rows scaled). */
function scaleRows(A: Mat, l: Float64Array): Mat {
  const out = matLike(A.data, A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out.data[i * A.cols + j] = l[i] * A.data[i * A.cols + j];
  return out;
}

/**
 * ‖off(Pᵀ Λ P)‖² and (when asked) its gradient 4 Λ P off(Pᵀ Λ P), in whichever of the p×p or the m×m form is
 * cheaper (P is m×p).
 */
function diagonalisation(P: Mat, l: Float64Array, wantGrad: boolean): { sq: number; grad?: Mat } {
  const { rows: m, cols: p } = P;
  const LP = scaleRows(P, l);
  if (p <= m) {
    const B = gemm(true, false, P, LP);
    let sq = 0;
    for (let i = 0; i < p; i++) {
      B.data[i * p + i] = 0;
      for (let j = 0; j < p; j++) sq += B.data[i * p + j] ** 2;
    }
    if (!wantGrad) return { sq };
    const g = gemm(false, false, LP, B);
    for (let k = 0; k < g.data.length; k++) g.data[k] *= 4;
    return { sq, grad: g };
  }
  const A = gemm(false, true, P, P);
  const d = new Float64Array(p);
  for (let i = 0; i < m; i++) for (let k = 0; k < p; k++) d[k] += l[i] * P.data[i * p + k] ** 2;
  let sq = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) sq += l[i] * l[j] * A.data[i * m + j] ** 2;
  for (let k = 0; k < p; k++) sq -= d[k] ** 2;
  if (!wantGrad) return { sq: Math.max(0, sq) };
  const g = gemm(false, false, A, LP);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < p; k++) g.data[i * p + k] = 4 * l[i] * (g.data[i * p + k] - P.data[i * p + k] * d[k]);
  }
  return { sq: Math.max(0, sq), grad: g };
}

/** Σ A ⊙ B of two equal-shaped matrices. */
function dotAll(A: Mat, B: Mat): number {
  let s = 0;
  for (let k = 0; k < A.data.length; k++) s += A.data[k] * B.data[k];
  return s;
}

/** A += s·B (in place). */
function addScaled(A: Mat, B: Mat, s: number): void {
  for (let k = 0; k < A.data.length; k++) A.data[k] += s * B.data[k];
}

/**
 * The same energy and gradient evaluated in the factors' space, for P and Q narrower than the matrix (p < m, q < n:
 * the truncated `cpu` settings): X = (ΦP) C (ΨQ)ᵀ, and the Dirichlet terms through p×p and q×q Gram matrices,
 *   tr(C_newᵀ Λ_r C_new) = tr(Cᵀ (PᵀΛ_rP) C (QᵀQ)),  tr(C_new Λ_c C_newᵀ) = tr(C (QᵀΛ_cQ) Cᵀ (PᵀP)),
 * with gradients ∂C = 2(PᵀΛ_rP) C (QᵀQ), ∂P = 2Λ_r P C (QᵀQ) Cᵀ, ∂Q = 2Q Cᵀ (PᵀΛ_rP) C (and the column term alike).
 * No product costs more than max(m, n)²·max(p, q) multiply–adds, against m·n·(m + n) for the dense form.
 */
function evaluateFactored(pr: SpectralProblem, P: Mat, C: Mat, Q: Mat, wantGrad: boolean): Evaluation {
  const { m, n } = pr;
  const A = pr.Phi ? gemm(false, false, pr.Phi, P) : P;
  const B = pr.Psi ? gemm(false, false, pr.Psi, Q) : Q;
  const AC = gemm(false, false, A, C);
  const X = gemm(false, true, AC, B);
  const R = matLike(X.data, m, n);
  let data = 0;
  for (let k = 0; k < m * n; k++) {
    const r = (X.data[k] - pr.M[k]) * pr.S[k];
    R.data[k] = 2 * r;
    data += r * r;
  }
  const rowTerm = pr.lambdaR && pr.muR ? { Gp: gemm(true, false, P, scaleRows(P, pr.lambdaR)), Gq: gemm(true, false, Q, Q), l: pr.lambdaR, mu: pr.muR } : undefined;
  const colTerm = pr.lambdaC && pr.muC ? { Hp: gemm(true, false, P, P), Hq: gemm(true, false, Q, scaleRows(Q, pr.lambdaC)), l: pr.lambdaC, mu: pr.muC } : undefined;
  let dirichlet = 0;
  const rowParts = rowTerm && { GpC: gemm(false, false, rowTerm.Gp, C), CGq: gemm(false, false, C, rowTerm.Gq) };
  const colParts = colTerm && { HpC: gemm(false, false, colTerm.Hp, C), CHq: gemm(false, false, C, colTerm.Hq) };
  if (rowTerm && rowParts) dirichlet += rowTerm.mu * dotAll(rowParts.GpC, rowParts.CGq);
  if (colTerm && colParts) dirichlet += colTerm.mu * dotAll(colParts.HpC, colParts.CHq);
  const dP = pr.lambdaR && pr.rhoR ? diagonalisation(P, pr.lambdaR, wantGrad) : undefined;
  const dQ = pr.lambdaC && pr.rhoC ? diagonalisation(Q, pr.lambdaC, wantGrad) : undefined;
  const diagTerm = (dP ? pr.rhoR * dP.sq : 0) + (dQ ? pr.rhoC * dQ.sq : 0);
  const energy = { total: data + dirichlet + diagTerm, data, dirichlet, diagonalisation: diagTerm };
  if (!wantGrad) return { energy, Cnew: gemm(false, true, gemm(false, false, P, C), Q), X };
  const RB = gemm(false, false, R, B);
  const gC = gemm(true, false, A, RB);
  const dA = gemm(false, true, RB, C);
  const gP = pr.Phi ? gemm(true, false, pr.Phi, dA) : dA;
  const dB = gemm(true, false, R, AC);
  const gQ = pr.Psi ? gemm(true, false, pr.Psi, dB) : dB;
  if (rowTerm && rowParts) {
    addScaled(gC, gemm(false, false, rowParts.GpC, rowTerm.Gq), 2 * rowTerm.mu);
    addScaled(gP, scaleRows(gemm(false, false, P, gemm(false, true, rowParts.CGq, C)), rowTerm.l), 2 * rowTerm.mu);
    addScaled(gQ, gemm(false, false, Q, gemm(true, false, C, rowParts.GpC)), 2 * rowTerm.mu);
  }
  if (colTerm && colParts) {
    addScaled(gC, gemm(false, false, colParts.HpC, colTerm.Hq), 2 * colTerm.mu);
    addScaled(gP, gemm(false, false, P, gemm(false, true, colParts.CHq, C)), 2 * colTerm.mu);
    addScaled(gQ, scaleRows(gemm(false, false, Q, gemm(true, false, C, colParts.HpC)), colTerm.l), 2 * colTerm.mu);
  }
  if (dP?.grad) addScaled(gP, dP.grad, pr.rhoR);
  if (dQ?.grad) addScaled(gQ, dQ.grad, pr.rhoC);
  return { energy, X, grad: { P: gP, C: gC, Q: gQ } };
}

/**
 * The energy terms, the prediction and (when asked) the gradient with respect to the given parameters. P and Q
 * narrower than the matrix (and no zoom-out bank) take the factored evaluation; `form` forces one (tests).
 */
export function evaluate(pr: SpectralProblem, th: SpectralParams, wantGrad: boolean, form?: 'dense' | 'factored'): Evaluation {
  const { m, n } = pr;
  if (th.P && th.Q && !pr.zoom && (form ? form === 'factored' : th.P.cols < m && th.Q.cols < n)) return evaluateFactored(pr, th.P, th.C, th.Q, wantGrad);
  const PC = th.P ? gemm(false, false, th.P, th.C) : th.C;
  const Cnew = th.Q ? gemm(false, true, PC, th.Q) : PC;
  if (Cnew.rows !== m || Cnew.cols !== n) throw new Error(`C_new is ${Cnew.rows}×${Cnew.cols}, the matrix ${m}×${n}`);
  const left = pr.Phi ? gemm(false, false, pr.Phi, Cnew) : Cnew;
  const X = pr.Psi ? gemm(false, true, left, pr.Psi) : left;
  const R = matLike(X.data, m, n);
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
    zoomGrad = matLike(X.data, m, n);
    for (const [p, q] of zoomLevels(m, n, pr.zoom.pSkip, pr.zoom.qSkip)) {
      if (p === m && q === n) continue;
      const Pp = leftCols(pr.Phi, p);
      const Qq = leftCols(pr.Psi, q);
      const Xk = gemm(false, true, gemm(false, false, Pp, block(Cnew, p, q)), Qq);
      const Rk = matLike(X.data, m, n);
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
  let diagTerm = 0;
  const dP = th.P && pr.lambdaR && pr.rhoR ? diagonalisation(th.P, pr.lambdaR, wantGrad) : undefined;
  const dQ = th.Q && pr.lambdaC && pr.rhoC ? diagonalisation(th.Q, pr.lambdaC, wantGrad) : undefined;
  if (dP) diagTerm += pr.rhoR * dP.sq;
  if (dQ) diagTerm += pr.rhoC * dQ.sq;
  const energy = { total: data + dirichlet + diagTerm, data, dirichlet, diagonalisation: diagTerm };
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
  const grad: Evaluation['grad'] = { C: dC === G ? mat(G.rows, G.cols, G.data.slice()) : dC };
  if (th.P) {
    const gP = gemm(false, true, GQ, th.C);
    if (dP?.grad) for (let k = 0; k < gP.data.length; k++) gP.data[k] += pr.rhoR * dP.grad.data[k];
    grad.P = gP;
  }
  if (th.Q) {
    const gQ = gemm(true, false, G, PC);
    if (dQ?.grad) for (let k = 0; k < gQ.data.length; k++) gQ.data[k] += pr.rhoC * dQ.grad.data[k];
    grad.Q = gQ;
  }
  return { energy, Cnew, X, grad };
}
