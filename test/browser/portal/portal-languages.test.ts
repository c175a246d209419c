import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { grantPermission, markEmailVerified } from '../../integration/admin/helpers';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from '../../integration/portal/helpers';
import { desktopPage, horizontalOverflow, launchBrowser } from '../../support/browser';
import { freshCode, withFactorSignIn } from '../../support/factors';
import { post } from '../../support/http';

/**
 * The developer portal and the Users console in German and Spanish, signed in as an admin holding both portal-admin
 * and user-admin, with the longest content: many credentials with long names, several teams, pending team and admin
 * invitations, a user found in the console with sessions, and the secret panel open. It fits a 390 px phone (the
 * lists become cards) and a 1280 px screen, and axe-core finds no serious or critical violation.
 */
describe('the portal page in German and Spanish with the longest content', () => {
  let portal: PortalStack;
  let browser: Browser;
  let admin: PortalUser & { factor: { secret: string } };
  let target: PortalUser;
  const LONG = 'Maximiliane-Theresia';
  const LONGER = 'Schwarzenberg-Hohenlohe-Waldenburg';
  // 64 characters without a space: the longest credential name the form takes.
  const longName = (index: number) => `Rechnungsexport-Nachtlauf-Produktionsumgebung-Abrechnung-${index}`.padEnd(64, 'x').slice(0, 64);

  const createCredential = (user: PortalUser, name: string) =>
    as(portal.stack, user).post('/portal/credentials', { name, environment: 'sandbox' }, { 'Idempotency-Key': randomUUID() });

  beforeAll(async () => {
    portal = await startPortalStack();
    browser = await launchBrowser();
    const signedUp = await signUp(portal.stack, { firstName: LONG, lastName: LONGER });
    await markEmailVerified(portal.stack, signedUp.userId);
    await grantPermission(portal.stack, signedUp.userId, 'portal-admin');
    await grantPermission(portal.stack, signedUp.userId, 'user-admin');
    admin = await withFactorSignIn(portal.stack.url, signedUp);
    for (let index = 1; index <= 4; index += 1) expect((await createCredential(admin, longName(index))).status).toBe(201);
    // Other teams, each with a credential
    for (let index = 1; index <= 3; index += 1) {
      const other = await signUp(portal.stack, { firstName: `${LONG}${index}`, lastName: LONGER });
      expect((await createCredential(other, longName(10 + index))).status).toBe(201);
    }
    // Pending team and admin invitations
    const api = as(portal.stack, admin);
    expect((await api.post('/portal/team/invitations', { email: `teammate.with.a.very.long.address.${randomUUID().slice(0, 8)}@example.com` })).status).toBe(
      201,
    );
    for (const kind of ['portal-admin', 'user-admin'])
      expect(
        (await api.post('/portal/admin/invitations', { email: `admin.with.a.very.long.address.${randomUUID().slice(0, 8)}@example.com`, kind })).status,
      ).toBe(201);
    // The user the console finds, with two sessions
    target = await signUp(portal.stack, { firstName: LONG, lastName: LONGER });
    expect((await post(portal.stack.url, '/login-flow/login', { email: target.email, password: target.password })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** Signs in with the password and a code, finds the target user and creates one more credential, leaving its secret on screen. */
  async function fillThePage(page: Page, lang: string, words: { signIn: string; code: RegExp; find: string; create: string }) {
    await page.goto(`${portal.stack.url}/portal?lang=${lang}`);
    await page.locator('#email').fill(admin.email);
    await page.locator('#password').fill(admin.password);
    await page.getByRole('button', { name: words.signIn, exact: true }).click();
    const codeField = page.locator('#sign-in-form').getByLabel(words.code);
    await codeField.waitFor();
    await codeField.fill(await freshCode(admin.factor.secret));
    await page.getByRole('button', { name: words.signIn, exact: true }).click();
    await page.locator('#admin-invitations table tbody tr').nth(1).waitFor();
    await page.locator('#admin-teams tr').nth(3).waitFor();
    await page.locator('#users').waitFor({ state: 'visible' });
    await page.locator('#user-search-email').fill(target.email);
    await page.getByRole('button', { name: words.find }).click();
    await page.locator('#user-sessions tbody tr').nth(1).waitFor();
    await page.locator('#user-audit tbody tr').first().waitFor();
    await page.locator('#credential-name').fill(longName(99));
    await page.getByRole('button', { name: words.create }).click();
    await page.locator('#secret-panel').waitFor({ state: 'visible' });
    await page.locator('table[data-environment="sandbox"] tbody tr').nth(4).waitFor();
  }

  async function seriousViolations(page: Page) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate<{ id: string; impact: string; nodes: unknown[] }[]>(
      'axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target) })))',
    );
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  }

  const ENGLISH_LEFTOVERS = [
    'Developer portal',
    'API credentials',
    'Create credential',
    'Copy your client secret now',
    'Rotate secret',
    'Pending admin invitations',
    'Withdraw',
    'Find user',
    'Audit trail',
    'Sign out everywhere',
    'Actions',
    'failed attempts',
  ];

  it('in German fits a 390 px phone as cards and a 1280 px screen as tables, with no serious accessibility violation and no English left', async () => {
    const { context, page, errors } = await desktopPage(browser, { viewport: { width: 390, height: 844 }, bypassCSP: true });
    try {
      await fillThePage(page, 'de', { signIn: 'Anmelden', code: /Authenticator/, find: 'Benutzer suchen', create: 'Zugangsdaten anlegen' });

      // Headings and the lists' words in German
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entwicklerportal');
      expect(await page.locator('#credentials-title').textContent()).toBe('API-Zugangsdaten');
      expect(await page.locator('#secret-title').textContent()).toBe('Kopieren Sie jetzt Ihr Client-Geheimnis');
      expect(await page.locator('#admin-invitations-title').textContent()).toBe('Offene Administrator-Einladungen');
      expect(await page.locator('#users-title').textContent()).toBe('Benutzer');
      expect(await page.locator('#user-sessions-title').textContent()).toBe('Sitzungen');
      // biome-ignore lint/performance/useDomNodeTextContent: the words a person reads, without the hidden parts
      const body = await page.locator('body').innerText();
      for (const english of ENGLISH_LEFTOVERS) expect({ english, found: body.includes(english) }).toEqual({ english, found: false });

      // At 390 px: a card per row, each value under its column's heading, and no sideways scrolling
      expect(await horizontalOverflow(page)).toBe(0);
      const row = page.locator('table[data-environment="sandbox"] tbody tr').first();
      const rowDisplay = () => page.evaluate<string>(`getComputedStyle(document.querySelector('table[data-environment="sandbox"] tbody tr')).display`);
      expect(await rowDisplay()).toBe('block');
      expect(await row.locator('td').first().getAttribute('data-label')).toBe('Name');
      expect(await page.locator('#user-sessions tbody td').first().getAttribute('data-label')).toBe('Client');
      expect(await page.locator('#admin-teams td').nth(1).getAttribute('data-label')).toBe('Mitglieder');
      expect(await seriousViolations(page)).toEqual([]);

      // At 1280 px: tables again, still no sideways scrolling
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await rowDisplay()).toBe('table-row');
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('in Spanish shows its headings, buttons and dates in Spanish and fits a 390 px phone', async () => {
    const { context, page, errors } = await desktopPage(browser, { viewport: { width: 390, height: 844 }, bypassCSP: true });
    try {
      await fillThePage(page, 'es', { signIn: 'Iniciar sesión', code: /autenticación/, find: 'Buscar usuario', create: 'Crear la credencial' });

      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Portal de desarrolladores');
      expect(await page.locator('#credentials-title').textContent()).toBe('Credenciales de API');
      expect(await page.locator('#admin-title').textContent()).toBe('Administración');
      expect(await page.locator('#users-title').textContent()).toBe('Usuarios');
      expect(await page.getByRole('button', { name: 'Cerrar sesión en todas partes' }).isVisible()).toBe(true);
      // Dates through Intl in Spanish: month names such as "dic" rather than "Dec"
      const created = (await page.locator('table[data-environment="sandbox"] tbody tr').first().locator('td').nth(3).textContent()) ?? '';
      expect(created).toMatch(/ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic/);
      // biome-ignore lint/performance/useDomNodeTextContent: the words a person reads, without the hidden parts
      const body = await page.locator('body').innerText();
      for (const english of ENGLISH_LEFTOVERS) expect({ english, found: body.includes(english) }).toEqual({ english, found: false });
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
