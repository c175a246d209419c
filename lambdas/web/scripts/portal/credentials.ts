/**
 * The team's API credentials per environment: the list, create, rotate and delete. A new secret is shown once
 * and removed from the page when dismissed.
 */
import { $, buttonById, clearErrors, field, inputById } from '../form';
import { text } from '../page-texts';
import type { Credential, CredentialList, IssuedSecret } from '../portal-api';
import {
  busy,
  button,
  cell,
  code,
  confirmed,
  copy,
  environmentName,
  formatDate,
  listTable,
  message,
  newKey,
  pageError,
  paragraph,
  say,
  sentence,
  showFieldErrors,
} from './dom';
import { send } from './session';

let createKey: string | null = null;
let reloadAll: () => Promise<unknown> = () => Promise.resolve();

function environmentTable(environment: string, heading: string, list: Credential[]): HTMLTableElement {
  const { table, body } = listTable([
    text('portal.name'),
    text('portal.clientId'),
    text('portal.apis'),
    text('portal.script.created'),
    text('portal.script.actions'),
  ]);
  table.setAttribute('data-environment', environment);
  const caption = document.createElement('caption');
  caption.className = 'visually-hidden';
  caption.textContent = sentence('portal.script.credentialsCaption', { environment: heading });
  table.insertBefore(caption, table.firstChild);
  list.forEach((credential) => {
    const row = body.insertRow();
    row.setAttribute('data-client-id', credential.client_id);
    cell(row, credential.name);
    cell(row, code(credential.client_id));
    cell(row, credential.audiences.join(', ') || '—');
    cell(row, formatDate(credential.created_at));
    const actions = cell(row, '');
    actions.appendChild(
      button(text('portal.script.rotate'), 'secondary', () => rotate(credential), sentence('portal.script.rotateLabel', { name: credential.name })),
    );
    actions.appendChild(button(text('portal.delete'), 'danger', () => remove(credential), sentence('portal.script.deleteLabel', { name: credential.name })));
  });
  return table;
}

function renderCredentials(data: CredentialList): void {
  const container = $('environments');
  container.textContent = '';
  ['sandbox', 'production'].forEach((environment) => {
    const info = data.environments?.[environment] || { available: false };
    const title = environmentName(environment);
    const heading = document.createElement('h3');
    heading.textContent = title;
    container.appendChild(heading);
    if (!info.available) container.appendChild(paragraph('form-error', info.message || text('portal.script.notAvailable')));
    else
      container.appendChild(
        paragraph(
          'hint',
          info.audiences?.length
            ? text('portal.script.tokenUrlApisLine', { url: info.token_url ?? '', apis: info.audiences.join(', ') })
            : text('portal.script.tokenUrlLine', { url: info.token_url ?? '' }),
        ),
      );
    const list = (data.credentials || []).filter((credential) => credential.environment === environment);
    if (!list.length) {
      container.appendChild(paragraph('empty', text(environment === 'production' ? 'portal.script.noProduction' : 'portal.script.noSandbox')));
      return;
    }
    container.appendChild(environmentTable(environment, title, list));
  });
}

export function loadCredentials(): Promise<void> {
  return send<CredentialList>('GET', '/portal/credentials').then((result) => {
    if (!result.ok || !result.body) return pageError(message(result, text('portal.script.loadCredentialsFailed')));
    renderCredentials(result.body);
  });
}

function showSecret(body: IssuedSecret): void {
  $('secret-environment').textContent = environmentName(body.environment);
  $('secret-client-id').textContent = body.client_id;
  $('secret-token-url').textContent = body.token_url;
  $('secret-audiences').textContent = (body.audiences || []).join(', ');
  inputById('secret-value').value = body.client_secret;
  $('secret-panel').hidden = false;
  $('secret-panel').focus();
  say(text('portal.script.secretReady'));
}

export function hideSecret(): void {
  inputById('secret-value').value = '';
  $('secret-client-id').textContent = '';
  $('secret-panel').hidden = true;
  $('credential-name').focus();
}

function rotate(credential: Credential): void {
  confirmed<IssuedSecret>(
    sentence('portal.script.rotateConfirm', { name: credential.name }),
    text('portal.script.rotate'),
    () => send('POST', `/portal/credentials/${encodeURIComponent(credential.client_id)}/rotate`, undefined, { 'Idempotency-Key': newKey() }),
    text('portal.script.rotateFailed'),
    (result) => showSecret(result.body as IssuedSecret),
  );
}

function remove(credential: Credential): void {
  confirmed(
    sentence('portal.script.deleteConfirm', { name: credential.name, environment: environmentName(credential.environment) }),
    text('portal.delete'),
    () => send('DELETE', `/portal/credentials/${encodeURIComponent(credential.client_id)}`),
    text('portal.script.deleteFailed'),
    () => {
      say(text('portal.script.deleted'));
      reloadAll();
    },
  );
}

const createSlots = { formError: 'create-error', fields: [field('name', 'credential-name', 'name-error')] };

function createCredential(submit: HTMLButtonElement, name: string): void {
  // One key per intended credential: a retry after a network error returns the same credential, not a second one.
  const key = createKey || newKey();
  createKey = key;
  busy(submit, true);
  say(text('portal.script.creating'));
  send<IssuedSecret>('POST', '/portal/credentials', { name, environment: $<HTMLSelectElement>('credential-environment').value }, { 'Idempotency-Key': key })
    .then((result) => {
      busy(submit, false);
      if (!result.ok) {
        if (result.status < 500) createKey = null;
        showFieldErrors(result, createSlots);
        return;
      }
      createKey = null;
      inputById('credential-name').value = '';
      showSecret(result.body as IssuedSecret);
      reloadAll();
    })
    .catch(() => {
      busy(submit, false);
      $('create-error').textContent = text('portal.script.createUnreachable');
    });
}

/** Wires the create form and the secret panel; `loadAll` reloads the team and the credentials after a change. */
export function wireCredentials(loadAll: () => Promise<unknown>): void {
  reloadAll = loadAll;
  $('create-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = buttonById('create-button');
    if (submit.disabled) return;
    clearErrors(createSlots);
    const name = inputById('credential-name').value.trim();
    if (!name) {
      showFieldErrors(
        { ok: false, status: 400, body: { formError: text('portal.script.fillIn'), fieldErrors: { name: text('portal.script.nameMissing') } } },
        createSlots,
      );
      return;
    }
    createCredential(submit, name);
  });
  $('copy-secret').addEventListener('click', () => copy('secret-value', 'copy-secret'));
  $('dismiss-secret').addEventListener('click', hideSecret);
}
