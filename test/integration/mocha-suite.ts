/** The same integration tests as mocha tests, for @vscode/test-cli (`npx vscode-test` with a desktop VS Code). */
import { tests } from './extension.test';

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => { timeout(ms: number): void };

describe('Kernel Rec Lab', () => {
  for (const t of tests) it(t.name, t.fn).timeout(t.timeoutMs ?? 120000);
});
