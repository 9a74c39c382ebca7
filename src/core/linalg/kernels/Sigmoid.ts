import { unaryKernel } from './elementwise';

/** Sigmoid: `1 / (1 + Math.exp(-x))` for float32 inputs. */
export const sigmoidKernel = unaryKernel('Sigmoid', '1 / (1 + Math.exp(-x))');
