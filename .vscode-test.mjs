// For people with a desktop VS Code: `npx vscode-test` runs the same integration suite through @vscode/test-cli.
// (CI and `npm test` use scripts/integration.mjs, which drives the bundled VS Code server offline.)
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/mocha-suite.js',
  workspaceFolder: './.vscode-test/workspace',
  mocha: { timeout: 600000 },
});
