import type { ParamSpec } from '../model';

/** The L-BFGS schedule parameters the single-phase autoencoders share (plain data: read by the catalogue). */
export function lbfgsScheduleParams(epochs: number, maxiter: number): ParamSpec[] {
  return [
    { key: 'epochs', type: 'integer', default: epochs, min: 1, max: 10000, description: 'Outer loops (each a fresh L-BFGS run)' },
    { key: 'maxiter', type: 'integer', default: maxiter, min: 1, max: 10000, description: 'L-BFGS iterations per outer loop' },
    { key: 'trainFraction', type: 'number', default: 1, min: 0.01, max: 1, description: 'Fraction of the training ratings used' },
    { key: 'history', type: 'integer', default: 10, min: 1, max: 100, description: 'L-BFGS history size' },
  ];
}
