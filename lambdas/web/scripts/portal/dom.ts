/**
 * The portal's shared page helpers: the status and page-error lines, busy buttons, answers shown as errors,
 * table and button builders, and the confirm dialog. Used by the developer portal and the operator console alike.
 */
import { capitalized } from '../../../core/i18n/sentence';
import { $, type ApiBody, type ErrorSlots, inputById, setBusy, showErrors } from '../form';
import { dateText, failureText, pageLang, text } from '../page-texts';
import type { PortalAnswer } from '../portal-api';

/** A message in the page's language that starts with a capital letter even when it starts with an inserted name. */
export const sentence = (key: string, params?: Record<string, string | number>): string => capitalized(text(key, params), pageLang);

export const say = (text: string) => {
  $('status').textContent = text;
};
export const pageError = (text: string) => {
  $('page-error').textContent = text || '';
};
export const busy = (button: HTMLButtonElement, on: boolean) => setBusy([button], on);

// Any answer that says "confirm your email first" offers to send a new link. `fallback` is already in the page's language.
export function message(result: PortalAnswer<ApiBody>, fallback: string): string {
  if (result.body && result.body.error === 'email_not_verified') $('verify-banner').hidden = false;
  return failureText(result.body, result.status, fallback);
}

export function showFieldErrors(result: PortalAnswer<ApiBody>, slots: ErrorSlots): void {
  showErrors(slots, result.body, result.status, { formError: message(result, text('portal.script.failed')), focusFirstField: false });
}

/** A cell; a data cell is labelled with its column's heading, which narrow screens show above the value (a card per row). */
export function cell(row: HTMLTableRowElement, content: string | Node, tag: 'td' | 'th' = 'td'): HTMLElement {
  const element = document.createElement(tag);
  if (content instanceof Node) element.appendChild(content);
  else element.textContent = content;
  const heading = row.closest('table')?.tHead?.rows[0]?.cells[row.cells.length]?.textContent;
  if (tag === 'td' && heading) element.setAttribute('data-label', heading);
  row.appendChild(element);
  return element;
}

export function code(text: string): HTMLElement {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

export function paragraph(className: string, text: string): HTMLParagraphElement {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}

export function button(label: string, className: string, onClick: () => void, described?: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `small ${className || ''}`;
  element.textContent = label;
  if (described) element.setAttribute('aria-label', described);
  element.addEventListener('click', onClick);
  return element;
}

/** A list table with its column headings; the caller fills the body. */
export function listTable(columns: string[]): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const table = document.createElement('table');
  table.className = 'list';
  const head = table.createTHead().insertRow();
  for (const title of columns) cell(head, title, 'th').setAttribute('scope', 'col');
  return { table, body: table.createTBody() };
}

/** One term and its value in a description list. */
export function fact(list: HTMLElement, term: string, value: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  list.appendChild(dt);
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.appendChild(dd);
}

/** A date and time in the page's language; '—' for none. */
export const formatDate = (value: string | null | undefined): string => (value ? dateText(value) : '—');

/** Sandbox or production in the page's language. */
export const environmentName = (environment: string): string => text(environment === 'production' ? 'portal.production' : 'portal.sandbox');

export function newKey(): string {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => `0${b.toString(16)}`.slice(-2)).join('');
}

export function copy(inputId: string, buttonId: string): void {
  const input = inputById(inputId);
  const selectInstead = () => {
    input.select();
    say(text('portal.script.copyHint'));
  };
  const done = () => {
    const copyButton = $(buttonId);
    // The label before the first click: a second click within the pause keeps it.
    const label = copyButton.dataset.label ?? copyButton.textContent ?? '';
    copyButton.dataset.label = label;
    copyButton.textContent = text('portal.script.copied');
    say(text('portal.script.copiedStatus'));
    setTimeout(() => {
      $(buttonId).textContent = label;
    }, 2000);
  };
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(input.value).then(done, selectInstead);
  else selectInstead();
}

function confirmDialog(text: string, yesLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = $<HTMLDialogElement>('confirm');
    $('confirm-text').textContent = text;
    $('confirm-yes').textContent = yesLabel;
    dialog.returnValue = '';
    dialog.addEventListener('close', function onClose() {
      dialog.removeEventListener('close', onClose);
      resolve(dialog.returnValue === 'yes');
    });
    dialog.showModal();
    $('confirm-no').focus();
  });
}

/** Asks first, then sends; a failure shows on the page. */
export function confirmed<T>(
  text: string,
  yesLabel: string,
  request: () => Promise<PortalAnswer<T>>,
  failure: string,
  done: (result: PortalAnswer<T>) => void,
): void {
  confirmDialog(text, yesLabel).then((yes) => {
    if (!yes) return;
    request().then((result) => {
      if (!result.ok) return pageError(message(result, failure));
      done(result);
    });
  });
}
