import type { TrainFn } from '../model';
import { trainSpectral } from './spectralTraining';

/** FM (functional maps): ./spectralTraining.ts with the 'fm' variant. */
export const train: TrainFn = (ctx) => trainSpectral(ctx, 'fm');
