/**
 * UserKNN: cosine similarity of the users' item sets in the fitted part, each user keeping its k most similar
 * users; the score of item j for user u is Σ_{v ∈ N_k(u)} sim(u, v)·[v interacted with j] (./neighbourhood.ts).
 */
import type { TrainFn } from '../model';
import { trainNeighbourhood } from './neighbourhood';

export const train: TrainFn = (ctx) => trainNeighbourhood(ctx, false);
