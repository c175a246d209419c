/**
 * The team's API credentials per environment: the list, create, rotate and delete. A new secret is shown once
 * and removed from the page when dismissed.
 */
import { $, buttonById, clearErrors, field, inputById } from '../form';
import type { Credential, CredentialList, IssuedSecret } from '../portal-api';
import { busy, button, cell, code, confirmed, copy, formatDate, listTable, message, newKey, pageError, paragraph, say, showFieldErrors } from './dom';
import { send } from './session';

let createKey: string | null = null;
let reloadAll: () => Promise<unknown> = () => Promise.resolve();

function environmentTable(environment: string, heading: string, list: Credential[]): HTMLTableElement {
  const { table, body } = listTable(['Name', 'Client ID', 'APIs', 'Created', 'Actions']);
  table.setAttribute('data-environment', environment);
  const caption = document.createElement('caption');
  caption.className = 'visually-hidden';
  caption.textContent = `${heading} credentials`;
  table.insertBefore(caption, table.firstChild);
  list.forEach((credential) => {
    const row = body.insertRow();
    row.setAttribute('data-client-id', credential.client_id);
    cell(row, credential.name);
    cell(row, code(credential.client_id));
    cell(row, credential.audiences.join(', ') || '—');
    cell(row, formatDate(credential.created_at));
    const actions = cell(row, '');
    actions.appendChild(button('Rotate secret', 'secondary', () => rotate(credential), `Rotate the secret of ${credential.name}`));
    actions.appendChild(button('Delete', 'danger', () => remove(credential), `Delete ${credential.name}`));
  });
  return table;
}

function renderCredentials(data: CredentialList): void {
  const container = $('environments');
  container.textContent = '';
  ['sandbox', 'production'].forEach((environment) => {
    const info = data.environments?.[environment] || { available: false };
    const title = environment === 'sandbox' ? 'Sandbox' : 'Production';
    const heading = document.createElement('h3');
    heading.textContent = title;
    container.appendChild(heading);
    if (!info.available) container.appendChild(paragraph('form-error', info.message || 'This environment is not available.'));
    else container.appendChild(paragraph('hint', `Token URL: ${info.token_url}${info.audiences?.length ? ` · APIs: ${info.audiences.join(', ')}` : ''}`));
    const list = (data.credentials || []).filter((credential) => credential.environment === environment);
    if (!list.length) {
      container.appendChild(paragraph('empty', `No ${environment} credentials yet.`));
      return;
    }
    container.appendChild(environmentTable(environment, title, list));
  });
}

export function loadCredentials(): Promise<void> {
  return send<CredentialList>('GET', '/portal/credentials').then((result) => {
    if (!result.ok || !result.body) return pageError(message(result, 'Could not load your credentials'));
    renderCredentials(result.body);
  });
}

function showSecret(body: IssuedSecret): void {
  $('secret-environment').textContent = body.environment;
  $('secret-client-id').textContent = body.client_id;
  $('secret-token-url').textContent = body.token_url;
  $('secret-audiences').textContent = (body.audiences || []).join(', ');
  inputById('secret-value').value = body.client_secret;
  $('secret-panel').hidden = false;
  $('secret-panel').focus();
  say('Credential ready. Copy the client secret now; it is shown only once.');
}

export function hideSecret(): void {
  inputById('secret-value').value = '';
  $('secret-client-id').textContent = '';
  $('secret-panel').hidden = true;
  $('credential-name').focus();
}

function rotate(credential: Credential): void {
  confirmed<IssuedSecret>(
    `Rotate the secret of "${credential.name}"? The current secret stops working at once; services using it must switch to the new one.`,
    'Rotate secret',
    () => send('POST', `/portal/credentials/${encodeURIComponent(credential.client_id)}/rotate`, undefined, { 'Idempotency-Key': newKey() }),
    'Could not rotate the secret',
    (result) => showSecret(result.body as IssuedSecret),
  );
}

function remove(credential: Credential): void {
  confirmed(
    `Delete "${credential.name}" (${credential.environment})? Services using it lose access at once. This cannot be undone.`,
    'Delete',
    () => send('DELETE', `/portal/credentials/${encodeURIComponent(credential.client_id)}`),
    'Could not delete the credential',
    () => {
      say('Credential deleted.');
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
  say('Creating the credential, please wait.');
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
      $('create-error').textContent = 'The portal could not be reached. Try again: the same request will not create a second credential.';
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
        { ok: false, status: 400, body: { formError: 'Please fill in the highlighted fields.', fieldErrors: { name: 'Give the credential a name.' } } },
        createSlots,
      );
      return;
    }
    createCredential(submit, name);
  });
  $('copy-secret').addEventListener('click', () => copy('secret-value', 'copy-secret'));
  $('dismiss-secret').addEventListener('click', hideSecret);
}
