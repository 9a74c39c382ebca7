/**
 * Regularised SVD as the PREA toolkit trains it (RegularizedSVD, the LLORMA authors' code): R ≈ U·Vᵀ with no biases,
 * U, V initialised Uniform[0, 1)/rank; each pass visits the users in id order and each user's items in id order and,
 * for every rating, updates both factor rows from their values before the update (./sgdFactors.ts, the pass LLORMA's
 * local models use too). The pass's MAE is the mean |e| seen during it (before each update); training stops when it
 * changes by at most `tolerance` between passes, or after `epochs` passes. Predictions are clipped to the scale at
 * evaluation only.
 */
import { num, type TrainFn } from '../model';
import { factorPredictor, sgdPass, toCsr, uniformFactors } from './sgdFactors';

export const train: TrainFn = async (ctx) => {
  const { fit, nUsers, nItems } = ctx.data;
  const k = num(ctx.hp, 'rank');
  const lr = num(ctx.hp, 'lr');
  const reg = num(ctx.hp, 'reg');
  const epochs = num(ctx.hp, 'epochs');
  const tol = num(ctx.hp, 'tolerance');
  ctx.setTotalEpochs(epochs);
  const next = () => ctx.rng.next();
  const U = uniformFactors(next, nUsers, k, k);
  const V = uniformFactors(next, nItems, k, k);
  const csr = toCsr(fit, nUsers, nItems);
  const predict = factorPredictor(U, V, k);
  const sums = new Float64Array(2);
  // passes in slices of users, so a cancel is seen within a pass on large data
  const slice = Math.max(1, Math.floor((nUsers * 65536) / Math.max(1, fit.length)));
  let prev = Infinity;
  for (let ep = 1; ep <= epochs; ep++) {
    let sumAbs = 0;
    for (let u0 = 0; u0 < nUsers; u0 += slice) {
      ctx.checkCancelled();
      sgdPass(csr.rowPtr, csr.cols, csr.vals, u0, Math.min(nUsers, u0 + slice), U, V, k, lr, reg, null, null, sums);
      sumAbs += sums[1];
    }
    const mae = sumAbs / Math.max(1, fit.length);
    const settled = Math.abs(prev - mae) <= tol;
    await ctx.epochEnd({ phase: 'train', epoch: ep, epochs: settled ? ep : epochs, trainLoss: mae, predict });
    if (settled) {
      ctx.log(`regularized SVD: the training MAE settled after ${ep} passes (|ΔMAE| = ${Math.abs(prev - mae).toExponential(2)} ≤ ${tol})`);
      break;
    }
    prev = mae;
  }
};
