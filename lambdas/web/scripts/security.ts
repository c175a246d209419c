/**
 * The Security section (markup lambdas/web/security-section.ts) on the account
 * page and in the portal's admin enrolment step: the factor list (one render
 * function, one row per factor of any kind), the "add" buttons (ADD_FACTOR: one
 * entry per kind), the TOTP enrolment, rename, remove, and recovery codes shown
 * once. Calls go through the page's signed-in `send`, which turns a 403
 * `step_up_required` into the step-up dialog and retries once.
 */
import { capitalized } from '../../core/i18n/sentence';
import { $, type ApiBody, buttonById, clearErrors, field, inputById, setBusy, showErrors } from './form';
import { dateText, failureText, localized, pageLang, text } from './page-texts';
import { addPasskey, passkeysSupported } from './passkeys';
import type { PortalAnswer } from './portal-api';

export interface FactorView {
  id: string;
  kind: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface FactorList {
  factors: FactorView[];
  recoveryCodesLeft: number;
}

interface TotpEnrolment {
  factorId: string;
  secret: string;
  qrCodeSvg: string;
}

type Send = <T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<PortalAnswer<T>>;

export interface SecurityOptions {
  send: Send;
  /** A line for screen readers (the page's status region). */
  say: (text: string) => void;
  /** A factor was confirmed: the session now counts as two-factor (docs/security.md). */
  onFactorAdded?: () => void;
}

/** What a person calls each kind of factor. */
const kindName = (kind: string): string => ({ totp: text('security.script.kindTotp'), passkey: text('security.script.kindPasskey') })[kind] ?? kind;

const formatDate = (value: string | null | undefined): string => (value ? dateText(value) : text('security.script.never'));

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text) made.textContent = text;
  return made;
}

function smallButton(label: string, className: string, onClick: () => void, ariaLabel?: string): HTMLButtonElement {
  const made = element('button', className, label);
  made.type = 'button';
  if (ariaLabel) made.setAttribute('aria-label', ariaLabel);
  made.addEventListener('click', onClick);
  return made;
}

/** Asks inside `container` (a row, or the section) instead of a modal: resolves true on the first button. */
function confirmInline(container: HTMLElement, prompt: string, yesLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const box = element('div', 'confirm-inline');
    box.setAttribute('role', 'group');
    const question = element('p', '', prompt);
    const buttons = element('div', 'factor-buttons');
    const answer = (yes: boolean) => {
      box.remove();
      resolve(yes);
    };
    const no = smallButton(text('security.cancel'), 'secondary', () => answer(false));
    buttons.append(
      smallButton(yesLabel, 'danger', () => answer(true)),
      no,
    );
    box.append(question, buttons);
    container.appendChild(box);
    no.focus();
  });
}

/** The base32 key in groups of four, easier to type; authenticator apps ignore the spaces. */
const groupedKey = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

export function securitySection(options: SecurityOptions) {
  const { send, say } = options;
  const sectionError = (message: string) => {
    $('security-error').textContent = message;
  };
  const failure = (result: PortalAnswer, what: string) => failureText(result.body, result.status, what);
  let enrolling: TotpEnrolment | null = null;

  /** The one place factor rows are drawn: every kind gets the same row (name, kind, added, last used, rename, remove). */
  function renderFactors(list: FactorList): void {
    const container = $('factor-list');
    container.textContent = '';
    if (!list.factors.length) container.appendChild(element('li', 'empty', text('security.script.none')));
    for (const factor of list.factors) container.appendChild(factorRow(factor));
    $('recovery-left').textContent = list.factors.length ? text('security.script.codesLeft', { left: list.recoveryCodesLeft }) : '';
    $('new-recovery-codes').hidden = !list.factors.length;
  }

  function factorRow(factor: FactorView): HTMLLIElement {
    const row = element('li', '');
    row.setAttribute('data-factor-id', factor.id);
    row.setAttribute('data-factor-kind', factor.kind);
    row.appendChild(element('div', 'factor-name', factor.label));
    row.appendChild(
      element(
        'p',
        'factor-facts',
        text('security.script.facts', { kind: kindName(factor.kind), added: formatDate(factor.createdAt), used: formatDate(factor.lastUsedAt) }),
      ),
    );
    const buttons = element('div', 'factor-buttons');
    buttons.append(
      smallButton(text('security.script.rename'), 'secondary', () => rename(factor, row), text('security.script.renameLabel', { name: factor.label })),
      smallButton(text('security.script.remove'), 'danger', () => remove(factor, row), text('security.script.removeLabel', { name: factor.label })),
    );
    row.appendChild(buttons);
    return row;
  }

  function load(): Promise<FactorList | null> {
    return send<FactorList>('GET', '/login-flow/factors').then((result) => {
      if (!result.ok || !result.body) {
        sectionError(failure(result, text('security.script.loadFailed')));
        return null;
      }
      renderFactors(result.body);
      return result.body;
    });
  }

  function rename(factor: FactorView, row: HTMLLIElement): void {
    if (row.querySelector('form')) return;
    const form = element('form', '');
    form.noValidate = true;
    const inputId = `rename-${factor.id}`;
    const label = element('label', '', text('security.script.newName'));
    label.htmlFor = inputId;
    const input = element('input', '');
    input.id = inputId;
    input.type = 'text';
    input.maxLength = 60;
    input.value = factor.label;
    const problem = element('p', 'field-error');
    problem.id = `${inputId}-error`;
    input.setAttribute('aria-describedby', problem.id);
    const buttons = element('div', 'factor-buttons');
    const save = element('button', '', text('security.script.save'));
    save.type = 'submit';
    buttons.append(
      save,
      smallButton(text('security.cancel'), 'secondary', () => form.remove()),
    );
    form.append(label, input, problem, buttons);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setBusy([save], true);
      send('PATCH', `/login-flow/factors/${encodeURIComponent(factor.id)}`, { label: input.value.trim() }).then((result) => {
        setBusy([save], false);
        if (!result.ok) {
          problem.textContent = (result.body?.fieldErrors?.label as string) || failure(result, text('security.script.renameFailed'));
          input.setAttribute('aria-invalid', 'true');
          input.focus();
          return;
        }
        say(text('security.script.renamed'));
        load();
      });
    });
    row.appendChild(form);
    input.focus();
  }

  function remove(factor: FactorView, row: HTMLLIElement): void {
    sectionError('');
    confirmInline(row, text('security.script.removeConfirm', { name: factor.label }), text('security.script.remove')).then((yes) => {
      if (!yes) return;
      send('DELETE', `/login-flow/factors/${encodeURIComponent(factor.id)}`).then((result) => {
        if (!result.ok && result.status !== 404) {
          // An administrator's last factor stays (400 last_factor): say why where it is seen and heard.
          sectionError(failure(result, text('security.script.removeFailed')));
          $('security-title').focus();
          return;
        }
        // A sentence that starts with the name the person gave ("my phone") still starts with a capital.
        say(capitalized(text('security.script.removed', { name: factor.label }), pageLang));
        load();
      });
    });
  }

  // Enrolment of an authenticator app (TOTP): start, show the QR code and key, confirm with a first code.
  const totpSlots = { formError: 'totp-form-error', fields: [field('code', 'totp-code')] };

  function startTotp(): void {
    const add = buttonById('add-totp');
    sectionError('');
    setBusy([add], true);
    send<TotpEnrolment>('POST', '/login-flow/factors/totp', { label: text('security.script.kindTotp') }).then((result) => {
      setBusy([add], false);
      if (!result.ok || !result.body) return sectionError(failure(result, text('security.script.startFailed')));
      enrolling = result.body;
      $<HTMLImageElement>('totp-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(result.body.qrCodeSvg)}`;
      $('totp-secret').textContent = groupedKey(result.body.secret);
      clearErrors(totpSlots);
      inputById('totp-code').value = '';
      $('totp-enrolment').hidden = false;
      $('add-factor').hidden = true;
      $('totp-title').focus();
    });
  }

  function endTotp(): void {
    enrolling = null;
    $('totp-secret').textContent = '';
    $<HTMLImageElement>('totp-qr').removeAttribute('src');
    $('totp-enrolment').hidden = true;
    $('add-factor').hidden = false;
  }

  $('totp-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const confirm = buttonById('totp-confirm');
    if (!enrolling || confirm.disabled) return;
    clearErrors(totpSlots);
    const code = inputById('totp-code').value.replace(/\s/g, '');
    if (!code)
      return showErrors(totpSlots, { formError: text('security.script.codeMissing'), fieldErrors: { code: text('security.script.codeMissingField') } }, 0);
    setBusy([confirm], true);
    send<{ factor: FactorView; recoveryCodes: string[] | null }>('POST', '/login-flow/factors/totp/confirm', { factorId: enrolling.factorId, code }).then(
      (result) => {
        setBusy([confirm], false);
        if (!result.ok || !result.body) return showErrors(totpSlots, localized(result.body), result.status);
        endTotp();
        say(text('security.script.totpAdded'));
        if (result.body.recoveryCodes) showRecoveryCodes(result.body.recoveryCodes);
        load();
        options.onFactorAdded?.();
      },
    );
  });
  $('totp-cancel').addEventListener('click', endTotp);

  // Passkeys: a name, then the browser's own prompt makes the passkey (scripts/passkeys.ts).
  const passkeySlots = { formError: 'passkey-form-error', fields: [field('label', 'passkey-label'), field('passkey', 'passkey-label')] };
  function startPasskey(): void {
    sectionError('');
    $('passkey-enrolment').hidden = false;
    inputById('passkey-label').focus();
  }
  function endPasskey(): void {
    clearErrors(passkeySlots);
    $('passkey-enrolment').hidden = true;
  }
  if (passkeysSupported()) buttonById('add-passkey').hidden = false;
  $('passkey-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const create = buttonById('passkey-create');
    if (create.disabled) return;
    clearErrors(passkeySlots);
    setBusy([create], true);
    addPasskey<{ factor: FactorView; recoveryCodes: string[] | null }>(
      send,
      inputById('passkey-label').value.trim() || text('security.script.kindPasskey'),
    ).then((result) => {
      setBusy([create], false);
      if (!result.ok || !result.body) return showErrors(passkeySlots, localized(result.body), result.status);
      endPasskey();
      say(text('security.script.passkeyAdded'));
      const codes = (result.body as { recoveryCodes?: string[] | null }).recoveryCodes;
      if (codes) showRecoveryCodes(codes);
      load();
      options.onFactorAdded?.();
    });
  });
  $('passkey-cancel').addEventListener('click', endPasskey);

  /** One "add" action per kind of factor; a new kind adds its button in the markup and its start here. */
  const ADD_FACTOR: Record<string, () => void> = { totp: startTotp, passkey: startPasskey };
  for (const button of Array.from($('add-factor').querySelectorAll<HTMLButtonElement>('button[data-factor-kind]'))) {
    const start = ADD_FACTOR[button.getAttribute('data-factor-kind') ?? ''];
    if (start) button.addEventListener('click', start);
  }

  // Recovery codes: shown once, in a panel the person closes after storing them.
  function showRecoveryCodes(codes: string[]): void {
    const list = $('recovery-codes');
    list.textContent = '';
    for (const code of codes) list.appendChild(element('li', '', code));
    $('recovery-panel').hidden = false;
    $('recovery-panel').focus();
  }

  function hideRecoveryCodes(): void {
    $('recovery-codes').textContent = '';
    $('recovery-panel').hidden = true;
    $('security-title').focus();
  }

  $('recovery-stored').addEventListener('click', hideRecoveryCodes);
  $('recovery-copy').addEventListener('click', () => {
    const codes = Array.from($('recovery-codes').querySelectorAll('li'), (item) => item.textContent).join('\n');
    if (navigator.clipboard?.writeText)
      navigator.clipboard.writeText(codes).then(
        () => say(text('security.script.copied')),
        () => say(text('security.script.copyFailed')),
      );
  });
  $('new-recovery-codes').addEventListener('click', () => {
    sectionError('');
    const button = buttonById('new-recovery-codes');
    confirmInline($('security'), text('security.script.newCodesConfirm'), text('security.script.newCodesButton')).then((yes) => {
      if (!yes) return;
      setBusy([button], true);
      send<{ recoveryCodes: string[] }>('POST', '/login-flow/factors/recovery-codes').then((result) => {
        setBusy([button], false);
        if (!result.ok || !result.body) return sectionError(failure(result, text('security.script.newCodesFailed')));
        showRecoveryCodes(result.body.recoveryCodes);
        load();
      });
    });
  });

  return {
    load,
    /** Forgets everything shown (signed out): no key or code stays in the page. */
    reset: (): void => {
      endTotp();
      endPasskey();
      $('recovery-codes').textContent = '';
      $('recovery-panel').hidden = true;
      $('factor-list').textContent = '';
      sectionError('');
    },
  };
}
