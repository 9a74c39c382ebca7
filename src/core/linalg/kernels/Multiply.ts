import { binaryKernel } from './elementwise';

/** Multiply: `x * y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const multiplyKernel = binaryKernel('Multiply', 'x * y');
