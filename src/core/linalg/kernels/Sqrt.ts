import { unaryKernel } from './elementwise';

/** Sqrt: `Math.sqrt(x)` for float32 inputs. */
export const sqrtKernel = unaryKernel('Sqrt', 'Math.sqrt(x)');
