import { binaryKernel } from './elementwise';

/** Maximum: `(x > y || x !== x) ? x : y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const maximumKernel = binaryKernel('Maximum', '(x > y || x !== x) ? x : y');
