import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsSchema } from '../../../lambdas/config';

/** Variables only the local stack reads (local/start.ts) or that name partner credentials the adapters read. */
const LOCAL_ONLY = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'IN_MEMORY',
  'DYNAMODB_ENDPOINT',
  'TABLE_NAME',
  'OUTBOX_DIR',
  'SIGNING_KEY_FILE',
  'REFRESH_KEY_FILE',
  'FACTOR_KEY_FILE',
  'ASTRATO_BASE_URL',
  'ASTRATO_CLIENT_ID',
  'ASTRATO_CLIENT_SECRET',
  'ACRONIS_BASE_URL',
  'ACRONIS_CLIENT_ID',
  'ACRONIS_CLIENT_SECRET',
  ...['APPLE', 'GOOGLE'].flatMap((provider) =>
    ['CLIENT_IDS', 'TEAM_ID', 'KEY_ID', 'PRIVATE_KEY', 'CLIENT_SECRET', 'HOSTED_DOMAIN', 'ISSUER', 'JWKS_URL'].map((part) => `${provider}_${part}`),
  ),
  ...['SANDBOX', 'PRODUCTION'].flatMap((tenant) => ['DOMAIN', 'ID', 'SECRET'].map((part) => `${tenant}_AUTH0_MANAGEMENT_CLIENT_${part}`)),
];

describe('.env.example', () => {
  const text = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
  const documented = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);

  it('documents every handler setting', () => {
    const missing = Object.keys(settingsSchema.shape).filter((key) => !documented.includes(key));

    expect(missing).toEqual([]);
  });

  it('names only settings that something reads', () => {
    const unknown = documented.filter((key) => !(key in settingsSchema.shape) && !LOCAL_ONLY.includes(key));

    expect(unknown).toEqual([]);
  });
});
