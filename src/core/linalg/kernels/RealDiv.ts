import { binaryKernel } from './elementwise';

/** RealDiv: `x / y` with tight loops for the broadcast patterns of ./elementwise.ts. */
export const realDivKernel = binaryKernel('RealDiv', 'x / y');
