// Webview tests: the built panel (dist/webview.js + css) in headless Debian Chromium with a stubbed
// acquireVsCodeApi and the same strict CSP as in VS Code. Given a fixed snapshot, checks that the curves, table
// rows and heatmap are drawn (non-background pixels, row count), that messages the panel posts are right, and
// that no console error or CSP violation occurs. Writes screenshots (light, dark) to docs/ with --screenshots.
// Prints "webview: N passed, N failed".
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fixtureState, fixtureMixedState, fixtureArtifacts, fixtureWithNewRun, fixtureCustomOnly, fixtureLlorma, fixtureSgmc, fixtureDlr2, fixtureSweep } from './fixture.mjs';
import { page, launchChromium } from './page.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const shots = args.includes('--screenshots') ? path.resolve(root, args[args.indexOf('--screenshots') + 1]) : undefined;
const results = [];
const t = async (name, fn) => {
  try { await fn(); results.push({ name, ok: true }); process.stdout.write(`ok - webview: ${name}\n`); }
  catch (e) { results.push({ name, ok: false }); process.stdout.write(`not ok - webview: ${name}\n    ${String(e.stack ?? e).split('\n').slice(0, 4).join('\n    ')}\n`); }
};
function assert(c, m) { if (!c) throw new Error(m); }

let browser;
try {
  browser = await launchChromium();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'krl-webview-'));
  for (const theme of ['dark', 'light']) {
    const file = path.join(tmp, `panel-${theme}.html`);
    fs.writeFileSync(file, page(theme));
    const p = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
    const errors = [];
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`file://${file}`);
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    const state = fixtureState();
    await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
    await p.waitForSelector('#results-table tbody tr');
    await p.waitForFunction(() => window.__posted.some((m) => m.type === 'requestArtifacts'));
    const req = await p.evaluate(() => window.__posted.find((m) => m.type === 'requestArtifacts'));
    await p.evaluate((m) => window.postMessage(m, '*'), { type: 'artifacts', runId: req.runId, frames: fixtureArtifacts(12) });
    await p.waitForSelector('#art-kernels .heat-canvas');
    await p.waitForTimeout(300);
    const inkOf = (sel) => p.evaluate((sel) => {
      const c = document.querySelector(sel);
      if (!c) return -1;
      const ctx = c.getContext('2d');
      const { width, height } = c;
      const d = ctx.getImageData(0, 0, width, height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) ink++;
      return ink / (width * height);
    }, sel);
    await t(`[${theme}] the loss and metric-family curves are drawn`, async () => {
      for (const id of ['#curve-loss', '#curve-error']) {
        const ink = await inkOf(id);
        assert(ink > 0.01, `${id} has ${(ink * 100).toFixed(2)}% drawn pixels`);
      }
    });
    await t(`[${theme}] the chart axes carry text (titles and tick labels render)`, async () => {
      const labels = await p.evaluate(() => {
        const ch = window.Chart?.getChart?.('curve-error');
        return null;
      });
      void labels;
      // compare the axis-label strip with a blank canvas: text leaves ink left of the plot area
      const strip = await p.evaluate(() => {
        const c = document.querySelector('#curve-error');
        const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, Math.floor(c.width * 0.08), c.height).data;
        let ink = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) ink++;
        return ink;
      });
      assert(strip > 50, `only ${strip} drawn pixels in the y-axis label strip`);
    });
    await t(`[${theme}] the results table has one row per run, RMSE (a)/(b)/(c), MAE, the paper column and Δ`, async () => {
      const rows = await p.$$eval('#results-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-run')));
      assert(rows.length === state.runs.length, `rows ${rows.length}`);
      const heads = await p.$$eval('#results-table thead th', (ths) => ths.map((th) => th.textContent));
      for (const h of ['RMSE (a)', 'RMSE (b)', 'RMSE (c)', 'MAE (a)', 'paper', 'Δ (c) vs paper']) assert(heads.some((x) => x.startsWith(h)), `no column "${h}" in ${heads.join(' | ')}`);
      const delta = await p.$eval(`tr[data-run="${state.runs[0].id}"] td[data-key="rating:delta"]`, (td) => td.textContent);
      assert(/^[+-]0\.\d{4}$/.test(delta), `delta "${delta}"`);
      const a = await p.$eval(`tr[data-run="${state.runs[0].id}"] td[data-key="rating:rmse:valSelected"]`, (td) => td.textContent);
      assert(a === state.runs[0].summary.selection.valSelected.test.rmse.toFixed(4), `(a) cell "${a}"`);
      // the running run has no summary yet: its latest test value shows in (b)
      const b = await p.$eval(`tr[data-run="${state.runs[1].id}"] td[data-key="rating:rmse:last"]`, (td) => td.textContent);
      assert(b === state.runs[1].metrics.at(-1).test.rmse.toFixed(4), `running (b) cell "${b}"`);
    });
    await t(`[${theme}] the heatmap, colour bar and global kernel are drawn`, async () => {
      assert((await inkOf('#art-kernels .heat-canvas')) > 0.99, 'heatmap canvas not filled');
      const distinct = await p.evaluate(() => {
        const c = document.querySelector('#art-kernels .heat-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const s = new Set();
        for (let i = 0; i < d.length; i += 4) s.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return s.size;
      });
      assert(distinct > 20, `heatmap has ${distinct} distinct colours`);
      assert((await p.$$('#art-global-kernel table.gk td')).length === 9, 'global kernel is 3×3');
      const note = await p.$eval('#art-kernels .range-note', (e) => e.textContent);
      assert(/fixed scale \[0, 1\]/.test(note), `K colour scale note "${note}"`);
    });
    await t(`[${theme}] hovering the heatmap reads out (i, j, value)`, async () => {
      const box = await (await p.$('#art-kernels .heat-canvas')).boundingBox();
      await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const text = await p.$eval('#art-kernels .heat-readout', (e) => e.textContent);
      assert(/i = \d+ .*j = \d+ .*value = /.test(text), `readout "${text}"`);
    });
    await t(`[${theme}] unticking a run posts the new selection; the epoch slider replays snapshots`, async () => {
      const before = await p.evaluate(() => window.__posted.length);
      await p.click(`tr[data-run="${state.runs[1].id}"] input[type=checkbox]`);
      const msg = await p.evaluate((n) => window.__posted.slice(n).find((m) => m.type === 'select'), before);
      assert(msg && msg.runIds.length === 1 && msg.runIds[0] === state.runs[0].id, `select message ${JSON.stringify(msg)}`);
      await p.$eval('#art-kernels .art-epoch', (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
      const label = await p.$eval('#art-kernels .slider', (e) => e.textContent);
      assert(/pretrain epoch 1/.test(label), `slider label "${label}"`);
      await p.click(`tr[data-run="${state.runs[1].id}"] input[type=checkbox]`);
      await p.$eval('#art-kernels .art-epoch', (s) => { s.value = s.max; s.dispatchEvent(new Event('input')); });
    });
    await t(`[${theme}] live pictures: new frames of a running run extend the epoch slider`, async () => {
      const before = await p.$eval('#art-kernels .art-epoch', (s) => Number(s.max));
      const more = fixtureArtifacts(15).slice(12 * 3); // epochs 13–15 (3 frames per epoch: kernels, sparsity, global kernel)
      await p.evaluate((m) => window.postMessage(m, '*'), { type: 'artifacts', runId: req.runId, frames: more, append: true });
      await p.waitForFunction((n) => Number(document.querySelector('#art-kernels .art-epoch')?.max) > n, before);
      const after = await p.$eval('#art-kernels .art-epoch', (s) => Number(s.max));
      assert(after === before + 3, `slider max ${before} → ${after}`);
      const label = await p.$eval('#art-kernels .slider', (e) => e.textContent);
      assert(/#15, latest/.test(label), `the slider follows the latest frame: "${label}"`);
    });
    await t(`[${theme}] the sparsity chart survives toggling log scale`, async () => {
      await p.click('#log-scale');
      await p.waitForTimeout(200);
      assert((await inkOf('#art-sparsity canvas')) > 0.01, 'sparsity chart empty after log scale on');
      await p.click('#log-scale');
      await p.waitForTimeout(200);
      assert((await inkOf('#art-sparsity canvas')) > 0.01, 'sparsity chart empty after log scale off');
    });
    await t(`[${theme}] Cancel on a running run posts a cancel message`, async () => {
      await p.click(`tr[data-run="${state.runs[1].id}"] td.actions vscode-button:first-child`);
      const msg = await p.evaluate(() => window.__posted.find((m) => m.type === 'cancel'));
      assert(msg?.runId === state.runs[1].id, `cancel message ${JSON.stringify(msg)}`);
    });
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      await p.screenshot({ path: path.join(shots, `panel-${theme}.png`), fullPage: true });
    }
    await t(`[${theme}] the dataset statistics view renders its histograms`, async () => {
      await p.click('#tab-dataset');
      await p.waitForSelector('#hist-ratings');
      await p.waitForTimeout(200);
      assert((await inkOf('#hist-ratings')) > 0.01, 'rating histogram empty');
      assert((await inkOf('#hist-users')) > 0.01, 'per-user histogram empty');
      if (shots) await p.screenshot({ path: path.join(shots, `dataset-${theme}.png`), fullPage: true });
      await p.click('#tab-runs');
    });
    await t(`[${theme}] a PNG of the curves is returned on request`, async () => {
      await p.evaluate(() => window.postMessage({ type: 'requestPng' }, '*'));
      await p.waitForFunction(() => window.__posted.some((m) => m.type === 'png'));
      const png = await p.evaluate(() => window.__posted.find((m) => m.type === 'png').dataUrl);
      assert(png.startsWith('data:image/png;base64,') && png.length > 2000, 'no PNG');
    });
    await t(`[${theme}] ranking and interaction runs get their own columns and curves (higher is better)`, async () => {
      const mixed = fixtureMixedState();
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), mixed);
      await p.waitForFunction(() => document.querySelectorAll('#results-table tbody tr').length === 3);
      const heads = await p.$$eval('#results-table thead th', (ths) => ths.map((th) => th.textContent));
      for (const h of ['ranking: HR@10 (a)', 'ranking: HR@10 (c)', 'ranking: NDCG@5 (a)', 'interaction: AUC (a)', 'interaction: AUPR (a)', 'rating: RMSE (a)']) assert(heads.some((x) => x.startsWith(h)), `no column "${h}" in ${heads.join(' | ')}`);
      assert(!heads.some((x) => x.startsWith('paper') || x.includes(': paper')), 'no paper column without paper numbers');
      const rankRun = mixed.runs[0];
      const cell = await p.$eval(`tr[data-run="${rankRun.id}"] td[data-key="ranking:hr@10:valSelected"]`, (td) => td.textContent);
      assert(cell === rankRun.summary.selection.valSelected.test['hr@10'].toFixed(4), `HR@10 (a) "${cell}"`);
      // (a) is the epoch with the HIGHEST validation HR@10
      const best = rankRun.metrics.reduce((x, y) => (y.val['hr@10'] > x.val['hr@10'] ? y : x));
      assert(rankRun.summary.selection.valSelected.globalEpoch === best.globalEpoch, 'fixture selection');
      const otherTask = await p.$eval(`tr[data-run="${rankRun.id}"] td[data-key="interaction:auc:valSelected"]`, (td) => td.textContent);
      assert(otherTask === '—', `a ranking run has no AUC: "${otherTask}"`);
      for (const id of ['#curve-hr-ranking', '#curve-auc-interaction', '#curve-error-interaction', '#curve-error-rating']) assert((await inkOf(id)) > 0.01, `${id} not drawn`);
      const label = await p.$eval('#curve-hr-ranking', (c) => c.getAttribute('aria-label'));
      assert(/HR@10/.test(label), `the HR chart shows the selection metric: "${label}"`);
      const pLabel = await p.$eval('#curve-p-ranking', (c) => c.getAttribute('aria-label'));
      assert(/P@10/.test(pLabel), `the P chart follows the selection metric's cut-off: "${pLabel}"`);
      if (shots) await p.screenshot({ path: path.join(shots, `tasks-${theme}.png`), fullPage: true });
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('#curve-error');
    });
    // a panel of one run: its snapshot, then (when the panel asks for them) its pictures
    const showOneRun = async (one, frames) => {
      const n0 = await p.evaluate(() => window.__posted.length);
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), one);
      await p.waitForFunction(() => document.querySelectorAll('#results-table tbody tr').length === 1);
      await p.waitForFunction((n) => window.__posted.slice(n).some((m) => m.type === 'requestArtifacts'), n0);
      await p.evaluate((m) => window.postMessage(m, '*'), { type: 'artifacts', runId: one.runs[0].id, frames });
    };
    await t(`[${theme}] LLORMA: curves over the ensemble size, RMSE vs anchors with the global line, coverage heatmaps, the local-model table`, async () => {
      const { state: ll, frames } = fixtureLlorma();
      await showOneRun(ll, frames);
      await p.waitForSelector('#art-rmse-vs-anchors canvas');
      await p.waitForSelector('#art-anchor-coverage .heat-canvas');
      await p.waitForTimeout(300);
      assert((await inkOf('#art-rmse-vs-anchors canvas')) > 0.01, 'the RMSE-vs-anchors plot is drawn');
      assert((await inkOf('#art-anchor-coverage .heat-canvas')) > 0.5, 'the coverage heatmap is painted');
      const rows = await p.$$eval('#art-local-models tbody tr', (trs) => trs.length);
      assert(rows === 20, `${rows} local-model rows`);
      const groups = await p.$$eval('#art-anchor-coverage-group vscode-option, #art-anchor-coverage-group option', (os) => os.map((o) => o.textContent.trim()));
      assert(groups.includes('ensemble') && groups.includes('local model 20'), `heatmap groups ${groups.join(', ')}`);
      const slider = await p.$eval('#art-anchor-coverage .slider', (e) => e.textContent);
      assert(/ensemble size 20/.test(slider), `the frame slider counts the ensemble size: "${slider}"`);
      const legend = await p.$eval('#art-rmse-vs-anchors canvas', (c) => c.getAttribute('aria-label'));
      assert(legend.includes('global SVD rank 20, test') && legend.includes('LLORMA, test'), `series: ${legend}`);
      const xTitle = await p.$eval('#curve-error', (c) => c.getAttribute('aria-label'));
      assert(/per ensemble size/.test(xTitle), `the curves' x axis: "${xTitle}"`);
      const xOption = await p.$eval('#x-axis', (e) => e.textContent);
      assert(/x: ensemble size/.test(xOption), `the x-axis choice names the axis: "${xOption}"`);
      if (shots) await p.screenshot({ path: path.join(shots, `llorma-${theme}.png`), fullPage: true });
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('#curve-error');
    });
    await t(`[${theme}] SGMC on drug–target data: energy terms, C_new heatmap, Laplacian spectra, ROC and PR curves`, async () => {
      const { state: sg, frames } = fixtureSgmc();
      await showOneRun(sg, frames);
      for (const id of ['#art-energy-terms canvas', '#art-roc canvas', '#art-precision-recall canvas', '#art-spectra canvas', '#art-spectral-coefficients .heat-canvas']) await p.waitForSelector(id);
      await p.waitForTimeout(300);
      for (const id of ['#art-energy-terms canvas', '#art-roc canvas', '#art-precision-recall canvas', '#art-spectra canvas']) assert((await inkOf(id)) > 0.01, `${id} is drawn`);
      assert((await inkOf('#art-spectral-coefficients .heat-canvas')) > 0.5, 'the C_new heatmap is painted');
      const series = await p.$eval('#art-energy-terms canvas', (c) => c.getAttribute('aria-label'));
      assert(/data term/.test(series) && /Dirichlet/.test(series) && /diagonalisation/.test(series), `energy series: ${series}`);
      const heads = await p.$$eval('#results-table thead th', (ths) => ths.map((th) => th.textContent));
      assert(heads.some((h) => h.startsWith('AUC (a)')) && heads.some((h) => h.startsWith('AUPR (a)')), `columns ${heads.join(' | ')}`);
      if (shots) await p.screenshot({ path: path.join(shots, `sgmc-${theme}.png`), fullPage: true });
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('#curve-error');
    });
    await t(`[${theme}] DLR²: ranking curves, user and item embeddings by degree with the low-degree highlight, spectra, the authors' checkpoint`, async () => {
      const { state: dl, frames } = fixtureDlr2();
      await showOneRun(dl, frames);
      for (const id of ['#art-ranking-curves canvas', '#art-user-embedding canvas', '#art-item-embedding canvas', '#art-spectrum canvas']) await p.waitForSelector(id);
      await p.waitForTimeout(300);
      for (const id of ['#art-ranking-curves canvas', '#art-user-embedding canvas', '#art-spectrum canvas']) assert((await inkOf(id)) > 0.005, `${id} is drawn`);
      const label = await p.$eval('#art-user-embedding .art-highlight-label', (e) => e.textContent);
      assert(/lowest-degree quarter of users/.test(label), `highlight switch: "${label}"`);
      const pixels = () => p.$eval('#art-user-embedding canvas', (c) => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = 0; for (let k = 0; k < d.length; k += 97) h = (h * 31 + d[k]) % 1000000007; return h; });
      const before = await pixels();
      await p.click('#art-user-embedding .art-highlight');
      await p.waitForTimeout(200);
      assert((await pixels()) !== before, 'the highlight redraws the points');
      const rows = await p.$$eval('#art-authors-checkpoint tbody tr', (trs) => trs.length);
      assert(rows === 1, `${rows} rows in the authors' checkpoint table`);
      if (shots) await p.screenshot({ path: path.join(shots, `dlr2-${theme}.png`), fullPage: true });
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('#curve-error');
    });
    await t(`[${theme}] a run started while the panel is open is selected; tags show in the table`, async () => {
      const before = await p.evaluate(() => window.__posted.length);
      const next = fixtureWithNewRun(state);
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), next);
      await p.waitForSelector(`tr[data-run="${next.runs[0].id}"]`);
      const checked = await p.$eval(`tr[data-run="${next.runs[0].id}"] input[type=checkbox]`, (b) => b.checked);
      assert(checked, 'the new run is ticked');
      const msg = await p.evaluate((n) => window.__posted.slice(n).find((m) => m.type === 'select'), before);
      assert(msg && msg.runIds.includes(next.runs[0].id), `select message ${JSON.stringify(msg)}`);
      const tags = await p.$eval(`tr[data-run="${state.runs[0].id}"] td[data-key="tags"]`, (td) => [td.textContent, td.title]);
      assert(tags[0] === '#reference' && /paper preset/.test(tags[1]), `tags cell ${JSON.stringify(tags)}`);
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForFunction((n) => document.querySelectorAll('#results-table tbody tr').length === n, state.runs.length);
    });
    await t(`[${theme}] the Paper and Δ columns are hidden when no run used a paper preset unchanged`, async () => {
      const custom = fixtureCustomOnly(state);
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), custom);
      await p.waitForSelector('#results-table');
      const heads = await p.$$eval('#results-table thead th', (ths) => ths.map((th) => th.textContent));
      assert(!heads.some((h) => h.startsWith('paper') || h.startsWith('Δ')), heads.join(' | '));
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('td[data-key="rating:delta"]');
    });
    await t(`[${theme}] smoothing and a wall-clock x-axis redraw the curves; the loss is shown per rating`, async () => {
      await p.$eval('#smoothing', (s) => { s.value = '0.8'; s.dispatchEvent(new Event('input')); });
      await p.$eval('#x-axis', (d) => { d.value = 'time'; d.dispatchEvent(new Event('change')); });
      await p.waitForTimeout(200);
      assert((await inkOf('#curve-loss')) > 0.01 && (await inkOf('#curve-error')) > 0.01, 'curves drawn');
      const title = await p.evaluate(() => { const ch = window.__charts?.(); return null; });
      void title;
      const lossLabel = await p.$eval('#curve-loss', (c) => c.getAttribute('aria-label'));
      assert(lossLabel, 'loss chart present');
      await p.$eval('#x-axis', (d) => { d.value = 'epoch'; d.dispatchEvent(new Event('change')); });
      await p.$eval('#smoothing', (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
    });
    await t(`[${theme}] a sweep's experiments table: rows, the chosen point, sort, filter, groups, scatter and actions`, async () => {
      const sw = fixtureSweep();
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), sw);
      await p.waitForSelector('#sweep-table tbody tr');
      await p.waitForSelector('#sweep-chart');
      await p.waitForTimeout(300);
      const rows = () => p.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => ({ chosen: tr.classList.contains('chosen'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })));
      let r = await rows();
      assert(r.length === 12, `${r.length} rows`);
      const head = await p.$$eval('#sweep-table thead th', (ths) => ths.map((th) => th.textContent));
      for (const h of ['lr', 'seed', 'fold', 'val RMSE', 'RMSE (a)', 'RMSE (b)', 'RMSE (c)', 'MAE (a)']) assert(head.some((x) => x.startsWith(h)), `column ${h} in ${head.join('|')}`);
      // lr 0.01 has the lowest mean validation RMSE among complete points (lr 0.02 has a failed and a pending run)
      const chosen = r.filter((x) => x.chosen);
      assert(chosen.length === 4 && chosen.every((x) => x.cells[0] === '★' && x.cells.includes('0.01')), JSON.stringify(chosen.map((x) => x.cells.slice(0, 6))));
      assert(r.some((x) => x.cells.includes('pending')) && r.some((x) => x.cells.includes('failed')), 'pending and failed rows shown');
      // sort by the validation score: ascending, the chosen point's best run first
      await p.click('#sweep-table thead th[data-key="val"]');
      r = await rows();
      const vals = r.map((x) => Number(x.cells[7])).filter(Number.isFinite);
      assert(vals.every((v, i) => i === 0 || vals[i - 1] <= v), `sorted: ${vals}`);
      assert(Math.abs(vals[0] - 0.929) < 1e-9, `first ${vals[0]}`);
      // filter
      await p.fill('#sweep-filter', 'lr=0.02');
      r = await rows();
      assert(r.length === 4, `${r.length} rows for lr=0.02`);
      await p.fill('#sweep-filter', '');
      // grouped: three rows with mean ± std
      await p.click('#sweep-group');
      await p.waitForFunction(() => document.querySelectorAll('#sweep-table tbody tr').length === 3);
      r = await rows();
      assert(r.every((x) => x.cells.some((c) => /±/.test(c))), 'mean ± std cells');
      assert(r.filter((x) => x.chosen).length === 1, 'one chosen group');
      assert(r.some((x) => x.cells.includes('2/4')), 'the incomplete group shows 2/4');
      assert((await inkOf('#sweep-chart')) > 0.003, 'the scatter is drawn');
      if (shots) await p.screenshot({ path: path.join(shots, `sweep-${theme}.png`), fullPage: true });
      await p.click('#sweep-group');
      await p.waitForFunction(() => document.querySelectorAll('#sweep-table tbody tr').length === 12);
      // actions post to the host
      for (const [sel, type] of [['#sweep-csv', 'sweepExportCsv'], ['#sweep-preset', 'sweepSavePreset'], ['#sweep-run', 'sweepRunMissing']]) {
        await p.click(sel);
        await p.waitForFunction((ty) => window.__posted.some((m) => m.type === ty), type);
      }
      const missing = await p.evaluate(() => window.__posted.filter((m) => m.type === 'sweepRunMissing').at(-1));
      assert(missing.slurm === false, 'run missing here');
      await p.click('#sweep-slurm');
      await p.waitForFunction(() => window.__posted.some((m) => m.type === 'sweepRunMissing' && m.slurm === true));
      await p.dblclick('#sweep-table tbody tr[data-index="4"]');
      const open = await p.evaluate(() => window.__posted.filter((m) => m.type === 'openRun').at(-1));
      assert(open && /biased-mf/.test(open.runId), `openRun ${JSON.stringify(open)}`);
      await p.evaluate((s) => window.postMessage({ type: 'snapshot', state: s }, '*'), state);
      await p.waitForSelector('#curve-error');
    });
    await t(`[${theme}] no console errors or CSP violations`, async () => {
      const reported = await p.evaluate(() => window.__posted.filter((m) => m.type === 'consoleError').map((m) => m.message));
      assert(errors.length === 0 && reported.length === 0, [...errors, ...reported].join('\n'));
    });
    await p.close();
  }
  fs.rmSync(tmp, { recursive: true, force: true });
} catch (e) {
  results.push({ name: 'harness', ok: false });
  process.stdout.write(`not ok - webview harness: ${e.stack ?? e}\n`);
} finally {
  await browser?.close().catch(() => undefined);
}
const passed = results.filter((r) => r.ok).length;
process.stdout.write(`webview: ${passed} passed, ${results.length - passed} failed\n`);
process.exit(results.length - passed > 0 ? 1 : 0);
