// The LEPORID embedding of a synthetic kNN graph of the Anime user graph's size and density (47k users, K = 1000 in
// the paper, 172 s on two Xeons): node bench/embedLarge.mjs <nodes> <k> — prints one JSON line (graph build and
// eigenvector seconds, entries, eigenvalues). Run by `npm run bench -- ranking` under GNU time.
import { createRequire } from 'node:module';
import { out } from './common.mjs';

const require = createRequire(import.meta.url);
const { syntheticKnnGraph } = require(out('src/core/data/synthetic.js'));
const { leporidEmbedding } = require(out('src/core/linalg/spectralEmbedding.js'));
const { nnz } = require(out('src/core/linalg/sparse.js'));
const n = Number(process.argv[2] ?? 50000);
const k = Number(process.argv[3] ?? 1000);
let t0 = Date.now();
const g = syntheticKnnGraph(n, k, 1, 200, 0.5);
const graphSeconds = (Date.now() - t0) / 1000;
t0 = Date.now();
const e = leporidEmbedding(g, 64, 0.5);
const eigenSeconds = (Date.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ n, k, entries: nnz(g), graphSeconds, eigenSeconds, products: e.applications, lambdaMin: e.eigenvalues[0], lambdaMax: e.eigenvalues[63] })}\n`);
