/**
 * The panel's small UI adapter over @vscode/webview-ui-toolkit. The rest of the panel uses only these
 * functions, so the toolkit (deprecated upstream) can be swapped for plain elements or another kit later.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption, vsCodePanels, vsCodePanelTab, vsCodePanelView } from '@vscode/webview-ui-toolkit';

let registered = false;
export function registerUi(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView());
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

export function button(label: string, onClick: () => void, opts: { secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (opts.secondary) b.setAttribute('appearance', 'secondary');
  if (opts.title) b.setAttribute('title', opts.title);
  if (opts.id) b.id = opts.id;
  b.addEventListener('click', onClick);
  return b;
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, id?: string): HTMLElement {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.textContent = label;
  if (id) c.id = id;
  if (checked) c.setAttribute('checked', '');
  c.addEventListener('change', () => onChange(!!c.checked));
  return c;
}

export function dropdown(options: { value: string; label: string }[], value: string | undefined, onChange: (v: string) => void, id?: string): HTMLElement {
  const d = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  if (id) d.id = id;
  for (const o of options) {
    const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === value) opt.setAttribute('selected', '');
    d.append(opt);
  }
  d.addEventListener('change', () => onChange(d.value));
  return d;
}

/**
 * A status pill. Not the toolkit's vscode-tag: its template sets an inline style attribute, which the panel's
 * strict CSP (no 'unsafe-inline') blocks.
 */
export function tag(text: string, title?: string): HTMLElement {
  const t = document.createElement('span');
  t.className = `tag tag-${text.split(/\s/)[0]}`;
  t.textContent = text;
  if (title) t.title = title;
  return t;
}
