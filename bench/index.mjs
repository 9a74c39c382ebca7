// npm run bench -- <suite> [options]
//   data                         10M-line ratings file: parse time and peak memory
//   backends                     GLocal-K autoencoder loss+gradient per backend vs PyTorch CPU
//   accuracy --data <ml-100k>    the kernel models on MovieLens-100K u1 (and GLocal-K over u1…u5 with --folds)
//   panel                        results panel responsiveness (10 runs × 1000 epochs)
//   firstrun                     npm ci && npm run demo in a fresh clone with an empty cache (wall, CPU, peak RSS)
//   llorma [--only ml-100k|10m]   LLORMA on ML-100K u1 (rank 5, 20) and a synthetic 10M-rating matrix: RMSE, wall, CPU, peak RSS
//   tune --model M --grid k=a,b   hyper-parameter selection on the validation split only (through kernel-rec-lab sweep)
//   sgmc [--only eigen|synthetic] the spectral models: 3000-node eigendecomposition, Synthetic Netflix runs
//   dti [--datasets nr,gpcr]      SGMC and DMF under CVS1/2/3 × seeds × folds (the SGMC paper's drug–target protocol)
//   memory [--shapes douban,ml-1m] [--epochs n] [--dist d --label l]  GLocal-K peak RSS on Douban- and ML-1M-shaped matrices
//   ranking [--only baselines,dlr2,inits,embed]  LEPORID + DLR², ItemKNN, UserKNN, BPR, TopPop on ML-100K (≥ 20, chrono 70/10/20)
const [suite, ...rest] = process.argv.slice(2);
const suites = { memory: './memory.mjs', data: './data.mjs', backends: './backends.mjs', accuracy: './accuracy.mjs', panel: './panel.mjs', tune: './tune.mjs', firstrun: './firstrun.mjs', llorma: './llorma.mjs', sgmc: './sgmc.mjs', dti: './dti.mjs', ranking: './ranking.mjs' };
if (!suite || !suites[suite]) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(suites).join('|')}> [options]\n`);
  process.exit(2);
}
const mod = await import(suites[suite]);
await mod.run(rest);
