// Builds the three bundles with esbuild: extension host, trainer child process (+ the CLI), webview panel.
//   node scripts/build.mjs [--production] [--watch] [--quiet]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NODE_EXTERNAL } from './externals.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const quiet = args.has('--quiet');
// packages loaded at run time from node_modules, not bundled (./externals.mjs)
const nodeExternal = NODE_EXTERNAL;

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: quiet ? 'error' : 'info', legalComments: 'none' };
const configs = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: nodeExternal },
  { ...common, entryPoints: { trainer: 'src/trainer/main.ts', cli: 'src/cli.ts' }, platform: 'node', format: 'cjs', target: 'node20', outdir: 'dist', external: nodeExternal },
  { ...common, entryPoints: { webview: 'webview/main.ts' }, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'dist', loader: { '.css': 'css' } },
];

mkdirSync('dist', { recursive: true });
if (args.has('--watch')) {
  for (const c of configs) (await esbuild.context(c)).watch();
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
// the experiment-file JSON schema, generated from the model catalogue (src/core/models/schema.ts)
{
  const tmp = 'dist/.schema-gen.cjs';
  await esbuild.build({ entryPoints: ['src/core/models/schema.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: tmp, logLevel: 'error', external: nodeExternal });
  const require = createRequire(import.meta.url);
  const { experimentSchema } = require(`../${tmp}`);
  writeFileSync('dist/experiment.schema.json', JSON.stringify(experimentSchema(), null, 2) + '\n');
  rmSync(tmp, { force: true });
}
// toolkit/codicon assets the webview loads from the extension folder
if (existsSync('node_modules/@vscode/codicons/dist')) cpSync('node_modules/@vscode/codicons/dist', 'dist/codicons', { recursive: true });
