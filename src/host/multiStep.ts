/** A multi-step quick-pick flow with a Back button on every step after the first. */
import * as vscode from 'vscode';

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export type Step<S> = (state: S, input: MultiStepInput) => Promise<Step<S> | undefined>;

class BackSignal extends Error {}

export class MultiStepInput {
  private steps: Step<unknown>[] = [];

  /** totalSteps may depend on the answers so far (optional steps), so the counter never reads "(5/4)". */
  constructor(private readonly title: string, private readonly total: number | (() => number)) {}

  private get totalSteps(): number {
    return Math.max(typeof this.total === 'function' ? this.total() : this.total, this.steps.length);
  }

  static async run<S>(title: string, totalSteps: number | (() => number), state: S, first: Step<S>): Promise<boolean> {
    const input = new MultiStepInput(title, totalSteps);
    let step: Step<S> | undefined = first;
    while (step) {
      input.steps.push(step as Step<unknown>);
      try {
        step = await step(state, input);
      } catch (e) {
        if (e instanceof BackSignal) {
          input.steps.pop();
          step = input.steps.pop() as Step<S> | undefined;
          continue;
        }
        if (e instanceof CancelSignal) return false;
        throw e;
      }
    }
    return true;
  }

  pick<T>(placeholder: string, items: PickItem<T>[], active?: T): Promise<T> {
    const qp = vscode.window.createQuickPick<PickItem<T>>();
    qp.title = this.title;
    qp.step = this.steps.length;
    qp.totalSteps = this.totalSteps;
    qp.placeholder = placeholder;
    qp.items = items;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const act = items.find((i) => i.value === active);
    if (act) qp.activeItems = [act];
    qp.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<T>((resolve, reject) => {
      let done = false;
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) { done = true; qp.hide(); reject(new BackSignal()); }
      });
      qp.onDidAccept(() => {
        const sel = qp.selectedItems[0];
        if (!sel) return;
        done = true;
        qp.hide();
        resolve(sel.value);
      });
      qp.onDidHide(() => {
        qp.dispose();
        if (!done) reject(new CancelSignal());
      });
      qp.show();
    });
  }

  text(prompt: string, value: string, validate: (v: string) => string | undefined): Promise<string> {
    const ib = vscode.window.createInputBox();
    ib.title = this.title;
    ib.step = this.steps.length;
    ib.totalSteps = this.totalSteps;
    ib.prompt = prompt;
    ib.value = value;
    ib.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<string>((resolve, reject) => {
      let done = false;
      ib.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) { done = true; ib.hide(); reject(new BackSignal()); }
      });
      ib.onDidChangeValue((v) => (ib.validationMessage = validate(v)));
      ib.onDidAccept(() => {
        const msg = validate(ib.value);
        if (msg) { ib.validationMessage = msg; return; }
        done = true;
        ib.hide();
        resolve(ib.value);
      });
      ib.onDidHide(() => {
        ib.dispose();
        if (!done) reject(new CancelSignal());
      });
      ib.show();
    });
  }
}

class CancelSignal extends Error {}
