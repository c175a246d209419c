import * as z from 'zod';
import { loginBody } from './login-flow';

/** `targetURI` (Acronis's own spelling) is an alias of `target_uri`. */
const withTargetAlias = (value: unknown) => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.target_uri === undefined && record.targetURI !== undefined) return { ...record, target_uri: record.targetURI };
  }
  return value;
};

const targetUri = z.string({ error: 'target_uri must be a URL string.' }).trim().max(2048, 'This target is too long.').optional();

/** POST /sso/acronis: an optional target. */
export const acronisBody = z.preprocess(withTargetAlias, z.object({ target_uri: targetUri }));

/** POST /sso/acronis/login: the login form's email and password plus an optional target. */
export const acronisLoginBody = z.preprocess(withTargetAlias, z.intersection(loginBody, z.object({ target_uri: targetUri })));
