/**
 * ItemKNN (Deshpande & Karypis): cosine similarity of the items' user sets in the fitted part, each item keeping
 * its k most similar items; a user's score for item j is Σ_{i ∈ history(u)} S_k[i, j] (./neighbourhood.ts).
 */
import type { TrainFn } from '../model';
import { trainNeighbourhood } from './neighbourhood';

export const train: TrainFn = (ctx) => trainNeighbourhood(ctx, true);
