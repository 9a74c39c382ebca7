import { binaryKernel } from './elementwise';

/** Add: `x + y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const addKernel = binaryKernel('Add', 'x + y');
