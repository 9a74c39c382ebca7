import { unaryKernel } from './elementwise';

/** Exp: `Math.exp(x)` for float32 inputs. */
export const expKernel = unaryKernel('Exp', 'Math.exp(x)');
