import { binaryKernel } from './elementwise';

/** Minimum: `(x < y || x !== x) ? x : y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const minimumKernel = binaryKernel('Minimum', '(x < y || x !== x) ? x : y');
