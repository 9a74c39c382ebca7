// Results panel responsiveness: 10 runs × 1,000 epochs in the built panel (headless Chromium, same page as the
// webview tests). Time to first paint after the snapshot arrives, and time per throttled update tick (one new
// epoch for each of the 10 runs, as the host batches them), measured inside the page.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSection, table, median } from './common.mjs';
import { page, launchChromium } from '../test/webview/page.mjs';
import { fixtureState } from '../test/webview/fixture.mjs';

export async function run() {
  const base = fixtureState();
  const template = base.runs[0];
  const mk = (k, n) => Array.from({ length: n }, (_, e) => ({ ...template.metrics[e % template.metrics.length], phase: e < 300 ? 'pretrain' : 'finetune', globalEpoch: e + 1, epoch: e + 1, epochs: n, test: { rmse: 0.9 + 0.05 * Math.exp(-e / 200) + 0.001 * k, mae: 0.7 }, val: { rmse: 0.9 + 0.05 * Math.exp(-e / 180) + 0.001 * k, mae: 0.71 }, trainLoss: 1000 * Math.exp(-e / 300) + 100 * k }));
  const runs = Array.from({ length: 10 }, (_, k) => ({ ...template, id: `run-${k}`, status: 'running', metrics: mk(k, 1000) }));
  const state = { ...base, runs, selected: runs.map((r) => r.id), heatmapRun: runs[0].id };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-bench-panel-'));
  const file = path.join(dir, 'panel.html');
  fs.writeFileSync(file, page('dark'));
  const browser = await launchChromium();
  try {
    const p = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await p.goto(`file://${file}`);
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    const first = await p.evaluate(async (s) => {
      const t0 = performance.now();
      window.postMessage({ type: 'snapshot', state: s }, '*');
      await new Promise((r) => setTimeout(r, 0)); // the message handler runs
      await new Promise((r) => requestAnimationFrame(() => r())); // and the frame is painted
      return performance.now() - t0;
    }, state);
    const ticks = [];
    for (let t = 0; t < 30; t++) {
      const ms = await p.evaluate(async ({ t, ids }) => {
        const t0 = performance.now();
        for (const id of ids) window.postMessage({ type: 'epochs', runId: id, status: 'running', metrics: [{ phase: 'finetune', epoch: 1000 + t, epochs: 2000, globalEpoch: 1001 + t, trainLoss: 100, train: { rmse: 0.8, mae: 0.6 }, val: { rmse: 0.9, mae: 0.7 }, test: { rmse: 0.91, mae: 0.7 }, seconds: 1 }] }, '*');
        await new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => requestAnimationFrame(() => r()));
        return performance.now() - t0;
      }, { t, ids: runs.map((r) => r.id) });
      ticks.push(ms);
    }
    const tick = median(ticks);
    const worst = Math.max(...ticks);
    writeSection('panel', 'Results panel responsiveness (10 runs × 1,000 epochs)', table(['measure', 'value', 'target'], [['first paint after the snapshot', `${first.toFixed(0)} ms`, '≤ 1000 ms'], ['update tick (median of 30; one epoch for each of 10 runs)', `${tick.toFixed(1)} ms (worst ${worst.toFixed(1)} ms)`, '≤ 50 ms']]) + '\n\nThe built panel (dist/webview.js) in headless Debian Chromium (software rendering), measured inside the page with performance.now() up to the next animation frame. Chart.js animations are off, LTTB decimation on; the host throttles updates to ≤ 10 per second.', 'npm run bench -- panel');
    process.stdout.write(`panel first_paint_ms=${first.toFixed(0)} update_ms=${tick.toFixed(1)}\n`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
