/** Commands on run folders: Delete Run, Reveal Run Folder, Show Log, Refresh Runs. */
import * as vscode from 'vscode';
import * as path from 'path';
import type { Host } from '../activate';
import { pickRun, runIdOf } from './pick';

export function registerRunFileCommands(host: Host): void {
  const { store, queue, panels, tree } = host;
  host.context.subscriptions.push(
    host.guard('kernelRecLab.deleteRun', async (arg?: unknown, opts?: { confirm?: boolean }) => {
      const id = runIdOf(arg) ?? (await pickRun(host, 'Delete which run?', (s) => s !== 'running' && s !== 'queued'));
      if (!id) return false;
      if (queue.isActive(id)) {
        void host.show('warning', `Kernel Rec Lab: cancel run ${id} before deleting it.`);
        return false;
      }
      const confirm = (opts?.confirm ?? (arg as { confirm?: boolean })?.confirm) !== false;
      if (confirm) {
        const ans = await vscode.window.showWarningMessage(`Delete run ${id} and its folder?`, { modal: true }, 'Delete');
        if (ans !== 'Delete') return false;
      }
      store.delete(id);
      panels.notifyRunDeleted(id);
      tree.refresh();
      return true;
    }),
    host.guard('kernelRecLab.revealRunFolder', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? (await pickRun(host, 'Reveal which run?'));
      if (!id) return undefined;
      // only a real run folder inside the runs root (a committed link or odd id cannot point elsewhere)
      const dir = store.safeDirOf(id);
      const target = vscode.Uri.file(path.join(dir, 'run.json'));
      // revealFileInOS needs a local desktop; in a remote or web window reveal it in the Explorer instead
      const command = vscode.env.remoteName || vscode.env.uiKind === vscode.UIKind.Web ? 'revealInExplorer' : 'revealFileInOS';
      const revealed = Promise.resolve(vscode.commands.executeCommand(command, target)).then(
        () => true,
        (e) => { host.log.warn(`${command} ${dir}: ${(e as Error).message ?? e}`); return true; },
      );
      // the window does the revealing; a reveal that has not returned in 5 s (the Explorer still expanding folders
      // that change under it) does not keep this command, or a caller awaiting it, waiting
      if (!(await Promise.race([revealed, new Promise<false>((r) => setTimeout(() => r(false), 5000))]))) host.log.info(`${command} ${dir}: still in progress after 5 s`);
      return dir;
    }),
    host.guard('kernelRecLab.showLog', async (arg?: unknown) => {
      const id = runIdOf(arg);
      if (id) {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(store.dirOf(id), 'log.txt')));
        await vscode.window.showTextDocument(doc, { preview: true });
        return id;
      }
      host.log.show(true);
      return undefined;
    }),
    host.guard('kernelRecLab.editNotes', async (arg?: unknown, given?: { tags?: string[]; note?: string }) => {
      const id = runIdOf(arg) ?? (await pickRun(host, 'Tags and note for which run?'));
      if (!id) return undefined;
      const current = store.load(id).notes ?? { tags: [] };
      let tags = given?.tags;
      let note = given?.note;
      if (!given) {
        const t = await vscode.window.showInputBox({ title: `Tags for ${id}`, prompt: 'Comma-separated tags (shown in the sidebar and the results table)', value: current.tags.join(', ') });
        if (t === undefined) return undefined;
        const n = await vscode.window.showInputBox({ title: `Note for ${id}`, prompt: 'A note kept in the run folder (notes.json)', value: current.note ?? '' });
        if (n === undefined) return undefined;
        tags = t.split(',');
        note = n;
      }
      store.setNotes(id, { tags: tags ?? current.tags, note: note ?? current.note });
      tree.refresh();
      panels.notifyRunDeleted(id); // refreshes the open panels
      return store.load(id).notes;
    }),
    host.guard('kernelRecLab.refreshRuns', async () => {
      tree.refresh();
      return true;
    }),
  );
}
