import { unaryKernel } from './elementwise';

/** Tanh: `Math.tanh(x)` for float32 inputs. */
export const tanhKernel = unaryKernel('Tanh', 'Math.tanh(x)');
