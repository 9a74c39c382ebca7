/** The embedding parameters DLR² and BPR share (the embeddings step: ./embeddings.ts). */
import type { ParamSpec, TrainContext } from '../model';
import { computeEmbeddings, EMBEDDING_METHODS, type EmbeddingMethod, type Embeddings } from './embeddings';

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
