import type { TrainFn } from '../model';
import { trainSpectral } from './spectralTraining';

/** SGMC-Z: ./spectralTraining.ts with the zoom-out filter bank ('sgmc-z'). */
export const train: TrainFn = (ctx) => trainSpectral(ctx, 'sgmc-z');
