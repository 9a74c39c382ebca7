import { unaryKernel } from './elementwise';

/** Neg: `-x` for float32 inputs. */
export const negKernel = unaryKernel('Neg', '-x');
