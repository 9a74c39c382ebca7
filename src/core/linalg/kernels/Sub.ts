import { binaryKernel } from './elementwise';

/** Sub: `x - y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const subKernel = binaryKernel('Sub', 'x - y');
