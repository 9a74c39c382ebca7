import { unaryKernel } from './elementwise';

/** Square: `x * x` for float32 inputs. */
export const squareKernel = unaryKernel('Square', 'x * x');
