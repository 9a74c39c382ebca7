import { ModelDefinition } from './model';
import { globalMean } from './globalMean';
import { userItemMean } from './userItemMean';
import { biasedMf } from './biasedMf';
import { glocalK } from './glocalK';
import { sparseFc } from './sparseFc';
import { kernelNet } from './kernelNet';
import { iAutoRec } from './iAutoRec';

/** name → model. Adding a model = one file + one line here. */
const MODELS: ModelDefinition[] = [glocalK, sparseFc, kernelNet, iAutoRec, biasedMf, userItemMean, globalMean];

/** The model used when none is named (CLI, demo, quick train). */
export const DEFAULT_MODEL = 'glocal-k';

export function listModels(): ModelDefinition[] {
  return MODELS.slice();
}

export function getModel(id: string): ModelDefinition {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`unknown model "${id}" (models: ${MODELS.map((x) => x.id).join(', ')})`);
  return m;
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
