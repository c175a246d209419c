import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hash as argon2Hash } from '@node-rs/argon2';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { ensureTable } from '../../../local/table';
import { exportUsers } from '../../../local/users/export-users';
import { importUsers } from '../../../local/users/import-users';
import { enrolTotp, freshCode } from '../../support/factors';
import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';

const FIREBASE = {
  base64SignerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  base64SaltSeparator: 'Bw==',
  rounds: 8,
  memCost: 14,
};

/** One user per format, each with the password its hash was made from (vectors of the original systems, see the unit test). */
async function formatUsers(prefix: string): Promise<{ email: string; password: string; hash: unknown; format: string }[]> {
  const formats: { format: string; hash: unknown; password: string }[] = [
    {
      format: 'argon2id (older parameters)',
      hash: await argon2Hash('argon two id', { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 }),
      password: 'argon two id',
    },
    { format: 'argon2i', hash: '$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', password: 'password' },
    { format: 'argon2d', hash: await argon2Hash('argon two d', { algorithm: 0, memoryCost: 8192, timeCost: 2, parallelism: 1 }), password: 'argon two d' },
    { format: 'bcrypt $2a$', hash: '$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i', password: 'abc' },
    { format: 'bcrypt $2b$', hash: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', password: 'rasmuslerdorf' },
    { format: 'bcrypt $2y$', hash: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', password: 'rasmuslerdorf' },
    { format: 'scrypt PHC', hash: '$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$JbN2hANm9NOw4h5BRHZnbjzQ6Jr0QwNWojTOC2WgIbU', password: 'correct horse' },
    {
      format: 'Firebase scrypt',
      hash: {
        algorithm: 'firebase-scrypt',
        hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
        salt: '42xEC+ixf3L2lw==',
      },
      password: 'user1password',
    },
    { format: 'PBKDF2-SHA1 (passlib)', hash: '$pbkdf2$131000$AAECAwQFBgcICQoLDA0ODw$kbfyaFq.k8Tj3Nifsdff2jC.KBU', password: 'correct horse' },
    {
      format: 'PBKDF2-SHA256 (PHC)',
      hash: '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg',
      password: 'correct horse',
    },
    {
      format: 'PBKDF2-SHA512 (PHC)',
      hash: '$pbkdf2-sha512$i=100000,l=64$AAECAwQFBgcICQoLDA0ODw$Cydfp1z9RwhFbZBlUPGEUbm90YYIzLkDEOiu/l8ZkFWdvi9oLM8GozOKTYJ8WKZJkm3CNbSBItnsIxvYurqNAw',
      password: 'correct horse',
    },
    { format: 'Django pbkdf2_sha256', hash: 'pbkdf2_sha256$260000$s3aS4ltV4lue$STpJwBExNhUN3Ppe1iqYSYAB/N+XaNW+lXVJ5gSPGhY=', password: 'correct horse' },
  ];
  return formats.map((entry, index) => ({ ...entry, email: `${prefix}-${index}@import.example.com` }));
}

describe('npm run import-users', () => {
  let stack: TestStack;
  let dir: string;
  const db = () => createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  const target = () => ({ tableName: stack.tableName, endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  const credential = async (email: string) =>
    (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.credential(email), ConsistentRead: true }))).Item;
  const login = (email: string, password: string) => post(stack.url, '/login-flow/login', { email, password });
  const file = (name: string, lines: unknown[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
    return path;
  };

  beforeAll(async () => {
    // Lazy migration off: an unknown or password-less email must fail here, not be forwarded.
    stack = await startTestStack({ env: { LEGACY_LOGIN_URL: '', LOGIN_BACKOFF_FREE_FAILURES: '100', LOGIN_IP_MAX_FAILURES: '10000' } });
    dir = mkdtempSync(join(tmpdir(), 'lb-import-'));
  });
  afterAll(() => stack.stop());

  it('imports every hash format; each user signs in with the right password, not a wrong one, and the hash becomes argon2id', async () => {
    // Prepare
    const users = await formatUsers('formats');
    const path = file('formats.jsonl', [
      ...users.map(({ email, hash, format }) => ({
        email,
        firstName: format,
        lastName: 'Imported',
        password: hash,
        externalId: `old-${email}`,
        emailVerified: true,
      })),
      { email: 'no-password@import.example.com', firstName: 'Reset', lastName: 'Me' },
    ]);
    // Act
    const report = await importUsers({ file: path, target: target(), firebase: FIREBASE, progress: null });
    // Assess
    expect(report).toMatchObject({ imported: users.length + 1, skippedExisting: 0, skippedInvalid: 0, failed: 0 });
    // Credential, profile and the tombstone check, each billed twice in a transaction.
    expect(report.estimatedWriteUnits).toBe(6 * (users.length + 1));
    for (const user of users) {
      expect({ format: user.format, wrong: (await login(user.email, `${user.password}-wrong`)).status }).toEqual({ format: user.format, wrong: 403 });
      expect((await credential(user.email))?.passwordHash).not.toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect({ format: user.format, right: (await login(user.email, user.password)).status }).toEqual({ format: user.format, right: 200 });
      expect((await credential(user.email))?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect((await login(user.email, user.password)).status).toBe(200);
    }
    // Without a password nothing signs in (the user sets one through the reset link).
    expect((await login('no-password@import.example.com', '')).status).toBe(403);
    expect((await login('no-password@import.example.com', 'anything at all')).status).toBe(403);
    expect((await post(stack.url, '/login-flow/reset-password', { email: 'no-password@import.example.com' })).status).toBe(200);
    const mail = stack.outbox().find((sent) => sent.to === 'no-password@import.example.com');
    const token = new URL(mail?.links[0] ?? 'http://x').searchParams.get('token');
    expect((await post(stack.url, '/login-flow/reset-password/confirm', { token, password: 'a brand new long password' })).status).toBe(200);
    expect((await login('no-password@import.example.com', 'a brand new long password')).status).toBe(200);
  });

  it('reports duplicates and bad lines with their line numbers and imports the rest', async () => {
    // Prepare
    const path = file('mixed.jsonl', [
      { email: 'first@mixed.example.com', password: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' },
      'this is not json',
      { firstName: 'No email' },
      { email: 'bad-hash@mixed.example.com', password: '5f4dcc3b5aa765d61d8327deb882cf99' },
      { email: 'huge-cost@mixed.example.com', password: '$2b$31$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' },
      '',
      { email: 'FIRST@mixed.example.com', firstName: 'Again' },
      { email: 'formats-0@import.example.com' },
      { email: 'second@mixed.example.com', firstName: 'Second', unknownField: 'ignored' },
      `{"email": "x@mixed.example.com", "attributes": "${'x'.repeat(70_000)}"}`,
    ]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, batchSize: 3 });
    // Assess
    expect(report).toMatchObject({ imported: 2, skippedExisting: 1, skippedDuplicate: 1, skippedInvalid: 5, failed: 0 });
    const problems = readFileSync(report.reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(problems.map(({ line, outcome }) => [line, outcome]).sort((a, b) => a[0] - b[0])).toEqual([
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
      [7, 'duplicate'],
      [8, 'exists'],
      [10, 'invalid'],
    ]);
    expect(problems.find((problem) => problem.line === 5).reason).toMatch(/bcrypt cost 31/);
    expect(problems.find((problem) => problem.line === 7)).toMatchObject({ email: 'first@mixed.example.com', duplicateOf: 1 });
    expect((await credential('first@mixed.example.com'))?.passwordHash).toMatch(/^\$2b\$10\$/);
    expect((await login('second@mixed.example.com', 'x')).status).toBe(403);
  });

  it('replaces an existing user only with --update, keeping its user id', async () => {
    // Prepare
    const before = await credential('first@mixed.example.com');
    const path = file('update.jsonl', [
      {
        email: 'first@mixed.example.com',
        firstName: 'Updated',
        password: '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$ZvLORN3Wu1.2s6Mb0kBKZ43bylSsC/t0Vz5rE9nJPNg',
      },
    ]);
    // Act
    const withoutUpdate = await importUsers({ file: path, target: target(), progress: null });
    const withUpdate = await importUsers({ file: path, target: target(), progress: null, update: true });
    // Assess
    expect(withoutUpdate).toMatchObject({ imported: 0, skippedExisting: 1 });
    expect(withUpdate).toMatchObject({ imported: 0, updated: 1, skippedExisting: 0 });
    const after = await credential('first@mixed.example.com');
    expect(after?.userId).toBe(before?.userId);
    const profile = (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(before?.userId) }))).Item;
    expect(profile?.firstName).toBe('Updated');
    expect((await login('first@mixed.example.com', 'correct horse')).status).toBe(200);
  });

  it('writes nothing on a dry run, and says what it would do', async () => {
    // Prepare
    const path = file('dry.jsonl', [
      { email: 'dry-new@example.com', password: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' },
      { email: 'second@mixed.example.com' },
      '{',
    ]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, dryRun: true });
    // Assess
    expect(report).toMatchObject({ dryRun: true, imported: 1, skippedExisting: 1, skippedInvalid: 1 });
    expect(await credential('dry-new@example.com')).toBeUndefined();
  });

  it('resumes from a line: the lines before it are not written', async () => {
    // Prepare
    const lines = Array.from({ length: 30 }, (_, index) => ({ email: `resume-${index + 1}@example.com` }));
    const path = file('resume.jsonl', lines);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, fromLine: 21, batchSize: 4 });
    // Assess
    expect(report).toMatchObject({ linesRead: 10, imported: 10 });
    expect(await credential('resume-20@example.com')).toBeUndefined();
    expect(await credential('resume-21@example.com')).toMatchObject({ email: 'resume-21@example.com' });
    expect(await credential('resume-30@example.com')).toBeDefined();
  });

  it('decides a repeated email by its first line on every run, whatever the concurrency and batch size', async () => {
    // Prepare: 20 emails over 60 lines, repeats near (same or next batch) and far, in other letter cases.
    const lines = Array.from({ length: 60 }, (_, index) => {
      const user = (index * 7) % 20;
      const email = `repeat-${user}@determinism.example.com`;
      return { email: index % 3 === 1 ? email.toUpperCase() : email, firstName: `line ${index + 1}` };
    });
    const path = file('determinism.jsonl', lines);
    const outcome = async (run: number) => {
      const tableName = `${stack.tableName}-determinism-${run}`;
      await ensureTable(stack.dynamoDbEndpoint, tableName);
      const report = await importUsers({ file: path, target: { ...target(), tableName }, progress: null, concurrency: 16, batchSize: 1 + (run % 2) });
      const problems = readFileSync(report.reportFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .map(({ line, outcome, duplicateOf }) => ({ line, outcome, duplicateOf }))
        .sort((a, b) => a.line - b.line);
      const accounts: Record<string, unknown> = {};
      for (let user = 0; user < 20; user += 1) {
        const key = itemKeys.credential(`repeat-${user}@determinism.example.com`);
        const credential = (await db().send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
        const profile = (await db().send(new GetCommand({ TableName: tableName, Key: itemKeys.profile(credential?.userId), ConsistentRead: true }))).Item;
        accounts[user] = profile?.firstName;
      }
      return { counts: { imported: report.imported, skippedDuplicate: report.skippedDuplicate }, problems, accounts };
    };
    // Act
    const runs = [];
    for (let run = 0; run < 6; run += 1) runs.push(await outcome(run));
    // Assess: the first line of each email is its account, every later line a duplicate of it, the same each time.
    const expectedAccounts = Object.fromEntries(
      Array.from({ length: 20 }, (_, user) => [user, `line ${lines.findIndex((_line, index) => (index * 7) % 20 === user) + 1}`]),
    );
    expect(runs[0].accounts).toEqual(expectedAccounts);
    expect(runs[0].counts).toEqual({ imported: 20, skippedDuplicate: 40 });
    expect(runs[0].problems.every(({ outcome, line, duplicateOf }) => outcome === 'duplicate' && (line - duplicateOf) % 20 === 0)).toBe(true);
    for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);
  });

  it('decides a repeated email the same way when resumed with --from-line and with --update', async () => {
    // Prepare: lines 4-6 repeat lines 1-3 (one in other letter case); the resumed run starts at line 3.
    const path = file('resume-repeat.jsonl', [
      { email: 'resume-repeat-a@example.com', firstName: 'A first' },
      { email: 'resume-repeat-b@example.com', firstName: 'B first' },
      { email: 'resume-repeat-c@example.com', firstName: 'C first' },
      { email: 'RESUME-REPEAT-A@example.com', firstName: 'A again' },
      { email: 'resume-repeat-b@example.com', firstName: 'B again' },
      { email: 'resume-repeat-c@example.com', firstName: 'C again' },
    ]);
    const firstName = async (email: string) => {
      const userId = (await credential(email))?.userId;
      return (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(userId), ConsistentRead: true }))).Item?.firstName;
    };
    // Act
    const resumed = await importUsers({ file: path, target: target(), progress: null, fromLine: 3, batchSize: 1, concurrency: 16 });
    // Assess: the resumed run decides as a run from line 1 would.
    expect(resumed).toMatchObject({ linesRead: 4, imported: 1, skippedDuplicate: 3 });
    expect(resumed.firstProblems.map(({ line, outcome }) => [line, outcome]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [4, 'duplicate'],
      [5, 'duplicate'],
      [6, 'duplicate'],
    ]);
    expect(await credential('resume-repeat-a@example.com')).toBeUndefined();
    expect(await firstName('resume-repeat-c@example.com')).toBe('C first');
    // Act: the whole file again, replacing what exists.
    const updated = await importUsers({ file: path, target: target(), progress: null, update: true, batchSize: 1, concurrency: 16 });
    // Assess
    expect(updated).toMatchObject({ imported: 2, updated: 1, skippedDuplicate: 3 });
    expect(await firstName('resume-repeat-a@example.com')).toBe('A first');
    expect(await firstName('resume-repeat-b@example.com')).toBe('B first');
    expect(await firstName('resume-repeat-c@example.com')).toBe('C first');
  });

  it('exports every user in the import format, and the export imports into another table unchanged', async () => {
    // Prepare
    const out = join(dir, 'export.jsonl');
    const otherTable = `${stack.tableName}-copy`;
    await ensureTable(stack.dynamoDbEndpoint, otherTable);
    // Act
    const exported = await exportUsers(out, target(), null);
    const reimport = await importUsers({ file: out, target: { ...target(), tableName: otherTable }, progress: null });
    const again = join(dir, 'export-again.jsonl');
    await exportUsers(again, { ...target(), tableName: otherTable }, null);
    // Assess
    const read = (path: string) =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .map(({ id: _id, ...rest }) => rest)
        .sort((a, b) => a.email.localeCompare(b.email));
    const first = read(out);
    expect(exported.exported).toBe(first.length);
    expect(reimport).toMatchObject({ imported: first.length, skippedInvalid: 0, failed: 0 });
    expect(read(again)).toEqual(first);
    const migrated = first.find((user) => user.email === 'formats-3@import.example.com');
    expect(migrated).toMatchObject({
      firstName: 'bcrypt $2a$',
      externalId: 'old-formats-3@import.example.com',
      emailVerified: true,
      password: expect.stringMatching(/^\$argon2id\$/),
    });
    expect(first.find((user) => user.email === 'resume-21@example.com').password).toBeUndefined();
  });

  it('writes the export readable by its owner only, also over a file that was readable by others', async () => {
    // Prepare
    const fresh = join(dir, 'fresh-export.jsonl');
    const existing = join(dir, 'existing-export.jsonl');
    writeFileSync(existing, 'old content\n', { mode: 0o644 });
    chmodSync(existing, 0o644);
    // Act
    await exportUsers(fresh, target(), null);
    await exportUsers(existing, target(), null);
    // Assess
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(existing).mode & 0o777).toBe(0o600);
    expect(readFileSync(existing, 'utf8')).not.toContain('old content');
  });

  it('keeps a disabled account disabled through an export and an import into another table', async () => {
    // Prepare: a user disabled as the console does it (the mark on profile and credential).
    const email = 'disabled-round-trip@import.example.com';
    const disabledAt = '2026-03-04T05:06:07.000Z';
    await importUsers({
      file: file('disabled.jsonl', [{ email, password: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a', disabledAt }]),
      target: target(),
      progress: null,
    });
    const out = join(dir, 'disabled-export.jsonl');
    const copy = `${stack.tableName}-disabled-copy`;
    await ensureTable(stack.dynamoDbEndpoint, copy);
    // Act
    await exportUsers(out, target(), null);
    await importUsers({ file: out, target: { ...target(), tableName: copy }, progress: null });
    // Assess
    const line = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
      .find((entry) => entry.email === email);
    expect(line.disabledAt).toBe(disabledAt);
    const copied = await createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' }).send(
      new GetCommand({ TableName: copy, Key: itemKeys.credential(email), ConsistentRead: true }),
    );
    expect(copied.Item?.disabledAt).toBe(disabledAt);
    // And on this stack the imported mark refuses the right password as a disabled account.
    const response = await post(stack.url, '/login-flow/login', { email, password: 'rasmuslerdorf' });
    expect(response.status).toBe(403);
    expect(response.body.message ?? response.body.formError ?? response.text).toMatch(/disabled/i);
  });

  it('keeps a second factor through an --update: the account still needs its code at sign-in', async () => {
    // Prepare: an account with a TOTP factor.
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const factor = await enrolTotp(stack.url, registered.body.access_token);
    const path = file('update-with-factor.jsonl', [{ email: body.email, firstName: 'Imported again' }]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, update: true });
    // Assess
    expect(report).toMatchObject({ updated: 1, failed: 0 });
    const passwordOnly = await login(String(body.email), String(body.password));
    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body.error).toBe('mfa_required');
    const withCode = await post(stack.url, '/login-flow/login', { email: body.email, password: body.password, otp: await freshCode(factor.secret) });
    expect(withCode.status).toBe(200);
  });

  it('claims each Acronis identity a line names, and refuses a line naming one another account holds', async () => {
    // Prepare: two lines with one Acronis login (in letter cases that name the same Acronis user).
    const path = file('acronis-claims.jsonl', [
      { email: 'claims-first@import.example.com', attributes: { acronis: { login: 'Tenant-Admin' } } },
      { email: 'claims-second@import.example.com', attributes: { acronis: { login: 'tenant-admin' }, plan: 'gold' } },
    ]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, concurrency: 1 });
    // Assess
    expect(report).toMatchObject({ imported: 1, failed: 1 });
    const problems = readFileSync(report.reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(problems).toEqual([
      expect.objectContaining({ line: 2, outcome: 'failed', reason: expect.stringMatching(/another account already holds the acronis login/) }),
    ]);
    expect(await credential('claims-second@import.example.com')).toBeUndefined();
    const claim = (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.partnerClaim('acronis', 'login', 'tenant-admin') }))).Item;
    expect(claim?.userId).toBe((await credential('claims-first@import.example.com'))?.userId);
  });

  it('never brings back an account deleted here', async () => {
    // Prepare: an account its user deleted.
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const ctx = Buffer.from(JSON.stringify({ 'quick-brick-login-flow.access_token': registered.body.access_token })).toString('base64');
    expect((await call(stack.url, 'POST', `/login-flow/delete-account?ctx=${encodeURIComponent(ctx)}`)).status).toBe(200);
    const path = file('deleted.jsonl', [{ email: body.email, password: '$2b$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' }]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null });
    // Assess
    expect(report).toMatchObject({ imported: 0, failed: 1 });
    expect(report.firstProblems[0].reason).toMatch(/deleted or banned here/);
    expect(await credential(String(body.email))).toBeUndefined();
  });

  it('keeps the sessions cut-off and the partner identities through an --update, and replaces the other attributes', async () => {
    // Prepare: an account signed out everywhere, with an Acronis identity an operator set (version 1 of its partners).
    const body = registration();
    const registered = await post(stack.url, '/login-flow/register', body);
    const userId = (await credential(String(body.email)))?.userId as string;
    await db().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.profile(userId),
        UpdateExpression: 'SET sessionsNotBefore = :cut, attributes = :attributes, partnersVersion = :one',
        ExpressionAttributeValues: { ':cut': 1_900_000_000, ':attributes': { acronis: { login: 'kept-login' }, plan: 'silver' }, ':one': 1 },
      }),
    );
    const path = file('update-keeps.jsonl', [{ email: body.email, firstName: 'Again', attributes: { acronis: { login: 'someone-else' }, plan: 'gold' } }]);
    // Act
    const report = await importUsers({ file: path, target: target(), progress: null, update: true });
    // Assess
    expect(report).toMatchObject({ updated: 1, failed: 0 });
    const profile = (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.profile(userId), ConsistentRead: true }))).Item;
    expect(profile).toMatchObject({
      firstName: 'Again',
      sessionsNotBefore: 1_900_000_000,
      partnersVersion: 1,
      attributes: { acronis: { login: 'kept-login' }, plan: 'gold' },
    });
    // The access token issued before the cut-off stays refused.
    const me = await call(stack.url, 'GET', '/login-flow/me', { headers: { authorization: `Bearer ${registered.body.access_token}` } });
    expect(me.status).toBe(401);
    const stolen = (await db().send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.partnerClaim('acronis', 'login', 'someone-else') }))).Item;
    expect(stolen).toBeUndefined();
  });

  it('runs as an npm script against the local stack settings (DYNAMODB_ENDPOINT, TABLE_NAME)', async () => {
    // Prepare
    const path = file('cli.jsonl', [{ email: 'cli@example.com' }, 'nonsense']);
    // Act
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'local/users/cli.ts', 'import', path], {
      cwd: join(__dirname, '..', '..', '..'),
      env: { ...process.env, DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint, TABLE_NAME: stack.tableName, AWS_REGION: 'us-east-1' },
    });
    // Assess
    expect(stdout).toMatch(/imported:\s+1/);
    expect(stdout).toMatch(/line 2: invalid: not valid JSON/);
    expect(await credential('cli@example.com')).toBeDefined();
  });
});
