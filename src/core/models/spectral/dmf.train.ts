import type { TrainFn } from '../model';
import { trainSpectral } from './spectralTraining';

/** DMF (deep matrix factorisation): ./spectralTraining.ts with the 'dmf' variant. */
export const train: TrainFn = (ctx) => trainSpectral(ctx, 'dmf');
