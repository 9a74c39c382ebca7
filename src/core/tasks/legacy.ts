/**
 * Run folders written before tasks and metric records (fixed rmse/mae fields, kernel snapshots) still load: these
 * upgrade what is read from disk to the current shapes. Everything that reads a run folder goes through them.
 */
import type { EpochMetrics, MetricRecord, RunSummary, SelectedEpoch } from '../../protocol/types';
import { isTaskId } from './tasks';

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

function record(pairs: [string, unknown][]): MetricRecord {
  const out: MetricRecord = {};
  for (const [k, v] of pairs) {
    const n = num(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** A metric record as read from JSON (NaN was written as null): only finite numbers are kept. */
function cleanRecord(x: unknown): MetricRecord {
  return x && typeof x === 'object' ? record(Object.entries(x as Record<string, unknown>)) : {};
}

/** One line of metrics.jsonl, old (trainRmse, valRmse, testRmse, testMae) or new (train/val/test records). */
export function upgradeEpoch(raw: unknown): EpochMetrics | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const base = {
    phase: typeof r.phase === 'string' ? r.phase : 'train',
    epoch: num(r.epoch) ?? 0,
    epochs: num(r.epochs) ?? 0,
    globalEpoch: num(r.globalEpoch) ?? 0,
    trainLoss: num(r.trainLoss) ?? NaN,
    seconds: num(r.seconds) ?? NaN,
    iterations: num(r.iterations),
    evaluations: num(r.evaluations),
  };
  if (r.test && typeof r.test === 'object') return { ...base, train: cleanRecord(r.train), val: cleanRecord(r.val), test: cleanRecord(r.test) };
  return {
    ...base,
    train: record([['rmse', r.trainRmse]]),
    val: record([['rmse', r.valRmse]]),
    test: record([['rmse', r.testRmse], ['mae', r.testMae]]),
  };
}

/** summary.json, old (rmse/mae triples, paper.rmse) or new (task, selectBy, selection records). */
export function upgradeSummary(raw: unknown): RunSummary | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const base = {
    runId: String(r.runId ?? ''),
    model: String(r.model ?? ''),
    dataset: String(r.dataset ?? ''),
    backend: String(r.backend ?? 'none'),
    status: (typeof r.status === 'string' ? r.status : 'interrupted') as RunSummary['status'],
    trainRatings: num(r.trainRatings) ?? 0,
    valRatings: num(r.valRatings) ?? 0,
    testRatings: num(r.testRatings) ?? 0,
    seconds: num(r.seconds) ?? 0,
    error: typeof r.error === 'string' ? r.error : undefined,
  };
  if (r.selection && typeof r.selection === 'object') {
    const sel: RunSummary['selection'] = {};
    for (const [k, v] of Object.entries(r.selection as Record<string, unknown>)) {
      if (k !== 'valSelected' && k !== 'last' && k !== 'testSelected') continue;
      const e = v as Record<string, unknown> | null;
      if (!e || typeof e !== 'object') continue;
      sel[k] = { globalEpoch: num(e.globalEpoch) ?? 0, train: cleanRecord(e.train), val: cleanRecord(e.val), test: cleanRecord(e.test) };
    }
    const p = r.paper as Record<string, unknown> | undefined;
    return {
      ...base,
      task: isTaskId(r.task) ? r.task : 'rating',
      selectBy: typeof r.selectBy === 'string' ? r.selectBy : 'rmse',
      selection: sel,
      paper: p && typeof p === 'object' ? { dataset: String(p.dataset ?? ''), metrics: cleanRecord(p.metrics), note: typeof p.note === 'string' ? p.note : undefined } : undefined,
    };
  }
  // the format before tasks: fixed RMSE / MAE triples on the test part
  const rm = (r.rmse ?? {}) as Record<string, unknown>;
  const ma = (r.mae ?? {}) as Record<string, unknown>;
  const ep = (r.epochs ?? {}) as Record<string, unknown>;
  const at = (which: 'valSelected' | 'last' | 'testSelected'): SelectedEpoch | undefined => {
    const test = record([['rmse', rm[which]], ['mae', ma[which]]]);
    const e = num(ep[which]) ?? 0;
    return e > 0 || Object.keys(test).length ? { globalEpoch: e, train: {}, val: {}, test } : undefined;
  };
  const selection: RunSummary['selection'] = {};
  for (const w of ['valSelected', 'last', 'testSelected'] as const) {
    const s = at(w);
    if (s) selection[w] = s;
  }
  const p = r.paper as Record<string, unknown> | undefined;
  return {
    ...base,
    task: 'rating',
    selectBy: 'rmse',
    selection,
    paper: p && typeof p === 'object' && num(p.rmse) !== undefined ? { dataset: String(p.dataset ?? ''), metrics: { rmse: num(p.rmse) as number }, note: typeof p.note === 'string' ? p.note : undefined } : undefined,
  };
}
