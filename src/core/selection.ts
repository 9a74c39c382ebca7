import type { EpochMetrics, RunSummary } from './types';

export type Selection = Pick<RunSummary, 'rmse' | 'mae' | 'epochs'>;

/**
 * The reporting protocol of MODELS.md: (a) test RMSE at the epoch with the best validation RMSE,
 * (b) test RMSE at the last epoch, (c) best test RMSE over epochs ("test-selected, paper protocol").
 * Without a validation split (a) follows the last epoch.
 */
export class ProtocolSelection {
  private bestVal = Infinity;
  private bestTest = Infinity;
  readonly result: Selection = {
    rmse: { valSelected: NaN, last: NaN, testSelected: NaN },
    mae: { valSelected: NaN, last: NaN, testSelected: NaN },
    epochs: { valSelected: 0, testSelected: 0, last: 0 },
  };

  update(m: Pick<EpochMetrics, 'valRmse' | 'testRmse' | 'testMae' | 'globalEpoch'>): void {
    const r = this.result;
    if (!(m.valRmse >= this.bestVal)) {
      if (Number.isFinite(m.valRmse)) this.bestVal = m.valRmse;
      r.rmse.valSelected = m.testRmse;
      r.mae.valSelected = m.testMae;
      r.epochs.valSelected = m.globalEpoch;
    }
    if (m.testRmse < this.bestTest) {
      this.bestTest = m.testRmse;
      r.rmse.testSelected = m.testRmse;
      r.mae.testSelected = m.testMae;
      r.epochs.testSelected = m.globalEpoch;
    }
    r.rmse.last = m.testRmse;
    r.mae.last = m.testMae;
    r.epochs.last = m.globalEpoch;
  }

  static of(metrics: EpochMetrics[]): Selection {
    const s = new ProtocolSelection();
    for (const m of metrics) s.update(m);
    return s.result;
  }
}
