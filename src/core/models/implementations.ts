/**
 * Training code by model id — the trainer process and the CLI only (the extension host reads ./catalogue). Every
 * catalogue entry must have one (a unit test checks both lists agree).
 */
import type { TrainFn } from './model';
import { train as glocalK } from './autoencoders/glocalK.train';
import { train as sparseFc } from './autoencoders/sparseFc.train';
import { train as kernelNet } from './autoencoders/kernelNet.train';
import { train as iAutoRec } from './autoencoders/iAutoRec.train';
import { train as biasedMf } from './factorization/biasedMf.train';
import { train as regularizedSvd } from './factorization/regularizedSvd.train';
import { train as llorma } from './factorization/llorma.train';
import { train as dmf } from './spectral/dmf.train';
import { train as fm } from './spectral/fm.train';
import { train as sgmc } from './spectral/sgmc.train';
import { train as sgmcZ } from './spectral/sgmcZ.train';
import { train as topPop } from './ranking/topPop.train';
import { train as itemKnn } from './ranking/itemKnn.train';
import { train as userKnn } from './ranking/userKnn.train';
import { train as bpr } from './ranking/bpr.train';
import { train as dlr2 } from './ranking/dlr2.train';
import { train as userItemMean } from './baselines/userItemMean.train';
import { train as globalMean } from './baselines/globalMean.train';

const TRAIN: Record<string, TrainFn> = {
  'glocal-k': glocalK,
  'sparse-fc': sparseFc,
  kernelnet: kernelNet,
  'i-autorec': iAutoRec,
  'biased-mf': biasedMf,
  'regularized-svd': regularizedSvd,
  llorma,
  dmf,
  fm,
  sgmc,
  'sgmc-z': sgmcZ,
  'top-pop': topPop,
  'item-knn': itemKnn,
  'user-knn': userKnn,
  bpr,
  dlr2,
  'user-item-mean': userItemMean,
  'global-mean': globalMean,
};

export function trainerFor(id: string): TrainFn {
  const t = TRAIN[id];
  if (!t) throw new Error(`model "${id}" has no training code`);
  return t;
}

export function implementedModels(): string[] {
  return Object.keys(TRAIN);
}
