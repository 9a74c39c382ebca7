import { unaryKernel } from './elementwise';

/** Step: `x > 0 ? 1 : (x !== x ? x : 0)` for float32 inputs. */
export const stepKernel = unaryKernel('Step', 'x > 0 ? 1 : (x !== x ? x : 0)');
