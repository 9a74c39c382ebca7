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
import { topPop } from './ranking/topPop';
import { userItemMean } from './baselines/userItemMean';
import { globalMean } from './baselines/globalMean';

const MODELS: ModelInfo[] = [glocalK, sparseFc, kernelNet, iAutoRec, biasedMf, topPop, userItemMean, globalMean];

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
