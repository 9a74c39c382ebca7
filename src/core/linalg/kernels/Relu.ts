import { unaryKernel } from './elementwise';

/** Relu: `x < 0 ? 0 : x` for float32 inputs. */
export const reluKernel = unaryKernel('Relu', 'x < 0 ? 0 : x');
