// GRMF (Ezzat et al. 2017, graph-regularised matrix factorisation; weighted form, no WKNKN preprocessing) as a
// drug–target baseline on exactly our folds — a bench peer, not a model of the extension. Written from the paper's
// update rules with the settings the MGRNNM repository (helper_functions/getParameters.m) uses for GRMF on nr and
// gpcr: k = 100 latent factors, 2 alternating-least-squares sweeps, p-nearest-neighbour sparsified similarities
// (each node keeps itself and its p most similar, symmetrised by averaging the 0/1 masks) and their normalised
// Laplacians; SVD initialisation. Rows = targets, columns = drugs.
import { createRequire } from 'node:module';
import { out } from './common.mjs';

const require = createRequire(import.meta.url);

// [λ_l, λ_d (drugs), λ_t (targets), p] per dataset and setting, as that repository's getParameters.m
export const GRMF_SETTINGS = {
  gpcr: { cvs1: [0.5, 0.3, 0.3, 3], cvs2: [0.0625, 0.05, 0.01, 7], cvs3: [0.0625, 0.3, 0.01, 2] },
  nr: { cvs1: [0.125, 0.15, 0.05, 2], cvs2: [0.0625, 0.05, 0.1, 2], cvs3: [0.125, 0.2, 0.05, 2] },
};

function pnnLaplacian(S, n, p) {
  const N = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => S[i * n + b] - S[i * n + a] || a - b);
    for (const j of order.slice(0, p + 1)) N[i * n + j] = 1;
  }
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[i * n + j] = ((N[i * n + j] + N[j * n + i]) / 2) * S[i * n + j];
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[j] += W[i * n + j];
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) L[i * n + j] = ((i === j ? d[i] : 0) - W[i * n + j]) / Math.sqrt(d[i] * d[j]);
  return L;
}

/** Solves the symmetric positive definite k×k system M x = b in place of b (Cholesky). */
function cholSolve(M, b, k) {
  for (let j = 0; j < k; j++) {
    let s = M[j * k + j];
    for (let t = 0; t < j; t++) s -= M[j * k + t] ** 2;
    const djj = Math.sqrt(s);
    M[j * k + j] = djj;
    for (let i = j + 1; i < k; i++) {
      let v = M[i * k + j];
      for (let t = 0; t < j; t++) v -= M[i * k + t] * M[j * k + t];
      M[i * k + j] = v / djj;
    }
  }
  for (let i = 0; i < k; i++) { let v = b[i]; for (let t = 0; t < i; t++) v -= M[i * k + t] * b[t]; b[i] = v / M[i * k + i]; }
  for (let i = k - 1; i >= 0; i--) { let v = b[i]; for (let t = i + 1; t < k; t++) v -= M[t * k + i] * b[t]; b[i] = v / M[i * k + i]; }
  return b;
}

/** One row block of the weighted ALS: X (r×k) ← rows of (H F − λ L X_old) solved against Fᵀ diag(w) F + λ_l I. */
function sweep(X, F, H, Wt, L, lamG, lamL, r, c, k) {
  const old = X.slice();
  for (let a = 0; a < r; a++) {
    const rhs = new Float64Array(k);
    const M = new Float64Array(k * k);
    for (let j = 0; j < c; j++) {
      const w = Wt[a * c + j];
      if (!w) continue;
      const h = H[a * c + j];
      for (let s = 0; s < k; s++) {
        const f = F[j * k + s];
        if (h) rhs[s] += h * f;
        for (let t = 0; t <= s; t++) M[s * k + t] += f * F[j * k + t];
      }
    }
    for (let s = 0; s < k; s++) { for (let t = 0; t < s; t++) M[t * k + s] = M[s * k + t]; M[s * k + s] += lamL; }
    for (let b = 0; b < r; b++) { const l = L[a * r + b]; if (l) for (let s = 0; s < k; s++) rhs[s] -= lamG * l * old[b * k + s]; }
    X.set(cholSolve(M, rhs, k), a * k);
  }
}

/** Test AUC, AUPR and RMSE of GRMF on one prepared split of a Yamanishi dataset. */
export function grmfFold(ds, prepared, [lamL, lamD, lamT, p], kMax = 100, iterations = 2) {
  const { symmetricEigen } = require(out('src/core/linalg/eigen.js'));
  const { auc, aupr, rmse } = require(out('src/core/tasks/metricFunctions.js'));
  const m = ds.userGraph.n, n = ds.itemGraph.n;
  const H = new Float64Array(m * n), Wt = new Float64Array(m * n);
  const tr = prepared.train;
  for (let t = 0; t < tr.length; t++) { H[tr.users[t] * n + tr.items[t]] = tr.values[t]; Wt[tr.users[t] * n + tr.items[t]] = 1; }
  const Lt = pnnLaplacian(ds.userGraph.similarity.values, m, p);
  const Ld = pnnLaplacian(ds.itemGraph.similarity.values, n, p);
  // SVD initialisation through the eigenvectors of H Hᵀ: A = U s^½, B = Hᵀ U s^(−½)
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) { let s = 0; for (let c = 0; c < n; c++) s += H[i * n + c] * H[j * n + c]; G[i * m + j] = G[j * m + i] = s; }
  const e = symmetricEigen(G, m);
  const comps = [];
  for (let q = m - 1; q >= 0 && comps.length < kMax; q--) if (e.values[q] > 1e-9) comps.push(q);
  const k = comps.length;
  const A = new Float64Array(m * k), B = new Float64Array(n * k);
  comps.forEach((q, s) => {
    const sv = Math.sqrt(e.values[q]);
    for (let i = 0; i < m; i++) A[i * k + s] = e.vectors[i * m + q] * Math.sqrt(sv);
    for (let c = 0; c < n; c++) { let v = 0; for (let i = 0; i < m; i++) v += H[i * n + c] * e.vectors[i * m + q]; B[c * k + s] = v / Math.sqrt(sv); }
  });
  const Ht = new Float64Array(n * m), Wtt = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) { Ht[c * m + i] = H[i * n + c]; Wtt[c * m + i] = Wt[i * n + c]; }
  for (let z = 0; z < iterations; z++) {
    sweep(A, B, H, Wt, Lt, lamT, lamL, m, n, k);
    sweep(B, A, Ht, Wtt, Ld, lamD, lamL, n, m, k);
  }
  const te = prepared.test;
  const pred = new Float64Array(te.length);
  for (let t = 0; t < te.length; t++) { let v = 0; for (let s = 0; s < k; s++) v += A[te.users[t] * k + s] * B[te.items[t] * k + s]; pred[t] = v; }
  return { auc: auc(pred, te.values), aupr: aupr(pred, te.values), rmse: rmse(pred, te.values) };
}
