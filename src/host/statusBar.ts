/** Status bar item: model · epoch k/n · the selection metric on validation (else test) while runs are active; click opens the results panel. */
import * as vscode from 'vscode';
import type { RunQueue } from './runQueue';
import { runTask } from './runInfo';
import { formatValue } from '../core/tasks/format';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kernelRecLab.status', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly queue: RunQueue) {
    this.item.name = 'Kernel Rec Lab';
    this.item.command = 'kernelRecLab.openResults';
    queue.on('changed', () => this.update());
    queue.on('epoch', () => this.update());
    queue.on('progress', () => this.update());
    this.update();
  }

  update(): void {
    const active = this.queue.activeRuns();
    const running = active.filter((a) => a.status === 'running');
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const r = running[0];
    const e = r?.lastEpoch;
    const parts = [`$(sync~spin) ${r ? r.spec.model : 'queued'}`];
    if (e) {
      const { task, selectBy } = runTask({ record: { spec: r.spec } });
      const def = task.metrics.find((m) => m.key === selectBy);
      const onVal = e.val[selectBy] !== undefined;
      parts.push(`${e.phase} ${e.epoch}/${e.epochs}`, `${onVal ? 'val' : 'test'} ${def?.label ?? selectBy} ${formatValue(def, onVal ? e.val[selectBy] : e.test[selectBy])}`);
    }
    else if (r?.progress) parts.push(r.progress.message);
    const queued = active.length - running.length;
    if (running.length > 1 || queued > 0) parts.push(`(+${running.length - 1 + queued})`);
    this.item.text = parts.join(' · ');
    this.item.tooltip = active.map((a) => `${a.status}: ${a.spec.model} — ${a.runId}`).join('\n') + '\nClick to open the results panel';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
