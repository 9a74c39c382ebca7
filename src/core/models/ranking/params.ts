/** The embedding parameters DLR² and BPR share (the embeddings step: ./embeddings.ts). */
import type { ArtifactData, ArtifactDecl } from '../../../protocol/types';
import type { ParamSpec, TrainContext } from '../model';
import { computeEmbeddings, EMBEDDING_METHODS, type EmbeddingMethod, type Embeddings, type SideEmbedding } from './embeddings';

export const EMBEDDING_PARAMS: ParamSpec[] = [
  { key: 'init', type: 'enum', default: 'leporid', options: EMBEDDING_METHODS, description: 'Initial user and item embeddings: leporid (regularised Laplacian eigenmaps of the Jaccard kNN graphs), le (plain Laplacian eigenmaps, α = 0), svd (singular vectors of the interaction matrix), random (normal)' },
  { key: 'dims', type: 'integer', default: 64, min: 2, max: 1024, description: 'Embedding dimension' },
  { key: 'knn', type: 'integer', default: 1000, min: 1, max: 1000000, description: 'Neighbours kept per node in the Jaccard kNN graphs (leporid, le); the union of both directions is kept' },
  { key: 'alpha', type: 'number', default: 0.5, min: 0, max: 1, description: 'LEPORID’s degree regularisation α: D_reg = (1 − α)·D + α·d_max·I (le ignores it)' },
];

/** The embeddings the run's parameters ask for (cached per fitted part and parameters). */
export function runEmbeddings(ctx: TrainContext): Embeddings {
  const { fit, nUsers, nItems } = ctx.data;
  return computeEmbeddings(fit, nUsers, nItems, {
    method: ctx.hp.init as EmbeddingMethod,
    dims: ctx.hp.dims as number,
    K: ctx.hp.knn as number,
    alpha: ctx.hp.alpha as number,
  }, ctx.rng, { cacheDir: ctx.cacheDir, log: (m) => ctx.log(m), check: () => ctx.checkCancelled() });
}

/** The pictures of the embedding-based ranking models. */
export const RANKING_ARTIFACTS: ArtifactDecl[] = [
  { name: 'ranking curves', title: 'HR@k, P@k, R@k over iterations', view: 'line', description: 'validation and test top-N metrics at every evaluation' },
  { name: 'user embedding', title: 'User embedding (2-D view)', view: 'scatter', description: 'the initial user embeddings: the first two non-trivial eigenvectors (LEPORID / LE) or the first two columns (SVD / random), coloured by the number of interactions; the lowest-degree quarter can be highlighted' },
  { name: 'item embedding', title: 'Item embedding (2-D view)', view: 'scatter', description: 'the same for items' },
  { name: 'spectrum', title: 'Laplacian eigenvalues', view: 'line', description: 'the eigenvalues of the user and item graphs’ Laplacians behind the embedding (singular values for SVD)' },
  { name: 'authors checkpoint', title: 'The authors’ checkpoint rule (paper protocol)', view: 'table', description: 'the evaluation the reference code keeps: the best test P@1 among the evaluations where validation P@1 improved' },
];

/** The first time a run reports: the 2-D embedding views and the spectra. */
export function embeddingFrames(emb: Embeddings, userLabel: (u: number) => string, itemLabel: (i: number) => string): ArtifactData[] {
  const graph = emb.spec.method === 'leporid' || emb.spec.method === 'le';
  // the first eigenvector of a Laplacian eigenmap is (nearly) the degree profile: show the next two
  const [c1, c2] = graph && emb.dims >= 3 ? [1, 2] : [0, 1];
  const view = (side: SideEmbedding, label: (i: number) => string, what: string): ArtifactData => {
    const n = side.degree.length;
    const sorted = Array.from(side.degree).sort((a, b) => a - b);
    const q1 = sorted[Math.floor((n - 1) / 4)] ?? 0;
    return {
      view: 'scatter',
      xLabel: graph ? `eigenvector ${c1 + 1}` : `column ${c1 + 1}`,
      yLabel: graph ? `eigenvector ${c2 + 1}` : `column ${c2 + 1}`,
      valueLabel: `${what} interactions (fitted part)`,
      highlight: { maxValue: q1, label: `the lowest-degree quarter of ${what}s (≤ ${q1} interactions)` },
      points: Array.from({ length: n }, (_, i) => ({ x: side.vectors[i * emb.dims + c1], y: side.vectors[i * emb.dims + c2], value: side.degree[i], label: `${label(i)}: ${side.degree[i]} interactions` })),
    };
  };
  const out: ArtifactData[] = [view(emb.users, userLabel, 'user'), view(emb.items, itemLabel, 'item')];
  const points = [
    ...emb.users.spectrum.map((y, k) => ({ series: 'users', x: k + 1, y })),
    ...emb.items.spectrum.map((y, k) => ({ series: 'items', x: k + 1, y })),
  ];
  out.push({ view: 'line', points, xLabel: 'index', yLabel: emb.spec.method === 'svd' ? 'singular value' : 'eigenvalue of L', integerX: true });
  return out;
}

/** The top-N metrics of one evaluation as line points (validation and test). */
export function rankingCurvePoints(metrics: { val: Record<string, number>; test: Record<string, number> }, x: number): { series: string; x: number; y: number }[] {
  const pts: { series: string; x: number; y: number }[] = [];
  for (const part of ['val', 'test'] as const) {
    for (const [k, v] of Object.entries(metrics[part])) {
      if (!/^(hr|p|r)@(1|5|10)$/.test(k) || !Number.isFinite(v)) continue;
      pts.push({ series: `${part === 'val' ? 'validation' : 'test'} ${k.toUpperCase().replace('@', '@')}`, x, y: v });
    }
  }
  return pts;
}
