import type { TrainFn } from '../model';
import { trainSpectral } from './spectralTraining';

/** SGMC (spectral geometric matrix completion): ./spectralTraining.ts with the 'sgmc' variant. */
export const train: TrainFn = (ctx) => trainSpectral(ctx, 'sgmc');
