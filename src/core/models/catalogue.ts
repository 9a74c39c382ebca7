/**
 * The model catalogue: every model's description (id, family, tasks, parameter schema, presets, paper numbers,
 * source, declared pictures) as plain data. Read by the extension host, the CLI's `models` command and the build
 * (which generates the experiment-file JSON schema from it). Training code is not reachable from here: see
 * ./implementations (trainer and CLI only). Adding a model = a description file, a training file, a line in each list.
 */
import type { ModelInfo, PaperResult } from './model';
import { glocalK } from './autoencoders/glocalK';
import { sparseFc } from './autoencoders/sparseFc';
import { kernelNet } from './autoencoders/kernelNet';
import { iAutoRec } from './autoencoders/iAutoRec';
import { biasedMf } from './factorization/biasedMf';
import { regularizedSvd } from './factorization/regularizedSvd';
import { llorma } from './factorization/llorma';
import { dmf } from './spectral/dmf';
import { fm } from './spectral/fm';
import { sgmc } from './spectral/sgmc';
import { sgmcZ } from './spectral/sgmcZ';
import { topPop } from './ranking/topPop';
import { itemKnn } from './ranking/itemKnn';
import { userKnn } from './ranking/userKnn';
import { bpr } from './ranking/bpr';
import { dlr2 } from './ranking/dlr2';
import { userItemMean } from './baselines/userItemMean';
import { globalMean } from './baselines/globalMean';

const MODELS: ModelInfo[] = [glocalK, sparseFc, kernelNet, iAutoRec, biasedMf, regularizedSvd, llorma, dmf, fm, sgmc, sgmcZ, topPop, itemKnn, userKnn, bpr, dlr2, userItemMean, globalMean];

/** The model used when none is named (CLI, demo, quick train). */
export const DEFAULT_MODEL = 'glocal-k';

export function listModels(): ModelInfo[] {
  return MODELS.slice();
}

export function getModel(id: string): ModelInfo {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw Object.assign(new Error(`unknown model "${id}" (models: ${MODELS.map((x) => x.id).join(', ')})`), { input: true });
  return m;
}

/** The paper numbers a preset reproduces (the model's paper result on the preset's dataset). */
export function presetPaper(model: ModelInfo, preset: string | undefined): PaperResult | undefined {
  const ds = preset ? model.presets[preset]?.dataset : undefined;
  return ds ? model.paperResults.find((p) => p.dataset === ds) : undefined;
}

/**
 * The paper's numbers a run is compared with — only where that compares like with like: the run used one of the
 * model's presets made for this dataset (recognised by shape or name), with no hyper-parameter changed.
 */
export function paperFor(model: ModelInfo, spec: { preset?: string; overrides?: Record<string, unknown> }, datasetKey: string | undefined): PaperResult | undefined {
  if (!datasetKey || !spec.preset) return undefined;
  if (model.presets[spec.preset]?.dataset !== datasetKey) return undefined;
  if (Object.keys(spec.overrides ?? {}).length > 0) return undefined;
  return model.paperResults.find((p) => p.dataset === datasetKey);
}

/** Recognises well-known datasets by shape, for the paper comparison column. */
export function recogniseDataset(nUsers: number, nItems: number, name = ''): string | undefined {
  const n = name.toLowerCase();
  if (n.includes('douban')) return 'douban';
  if (n.includes('flixster')) return 'flixster';
  if (n.includes('synthetic')) return 'synthetic-netflix';
  if (nUsers === 943 && nItems === 1682) return 'ml-100k';
  if (nUsers === 6040 && (nItems === 3706 || nItems === 3952)) return 'ml-1m';
  if (nUsers === 69878 || nUsers === 71567) return 'ml-10m';
  if (nUsers === 3000 && nItems === 3000) return n.includes('flix') ? 'flixster' : 'douban';
  if (nUsers === 150 && nItems === 200) return 'synthetic-netflix';
  return undefined;
}
