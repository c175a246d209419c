/** An API a credential may call, and the scopes its client grant carries. */
export interface AudienceGrant {
  audience: string;
  scope: string[];
}

/**
 * Parses the per-environment API list (SANDBOX_API_AUDIENCES,
 * PRODUCTION_API_AUDIENCES). Two forms, both from configuration:
 *
 * - `https://api.example.com=read:orders write:orders;https://other.example.com=`
 *   (`;` between APIs, `=` before the space-separated scopes; none is allowed)
 * - JSON: `{"https://api.example.com": ["read:orders"]}` or
 *   `[{"audience": "https://api.example.com", "scope": ["read:orders"]}]`
 *
 * Throws with a message naming what is wrong, never silently drops an entry:
 * a typo here would hand out credentials without the grant they need.
 */
export function parseAudiences(text: string | undefined, variable = 'API_AUDIENCES'): AudienceGrant[] {
  const trimmed = text?.trim() ?? '';
  if (!trimmed) return [];
  let grants: AudienceGrant[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error(`${variable} is not valid JSON.`);
    }
    if (Array.isArray(parsed)) {
      grants = parsed.map((entry, index) => {
        const item = entry as { audience?: unknown; scope?: unknown };
        if (typeof item?.audience !== 'string') throw new Error(`${variable}[${index}] needs an "audience" string.`);
        return { audience: item.audience, scope: scopeList(item.scope, `${variable}[${index}].scope`) };
      });
    } else if (parsed && typeof parsed === 'object') {
      grants = Object.entries(parsed as Record<string, unknown>).map(([audience, scope]) => ({ audience, scope: scopeList(scope, `${variable}.${audience}`) }));
    } else {
      throw new Error(`${variable} must be a JSON object or array.`);
    }
  } else {
    grants = trimmed
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const at = part.indexOf('=');
        const audience = (at === -1 ? part : part.slice(0, at)).trim();
        const scopes = at === -1 ? '' : part.slice(at + 1);
        return { audience, scope: scopes.split(/\s+/).filter(Boolean) };
      });
  }
  const seen = new Set<string>();
  for (const grant of grants) {
    if (!grant.audience || /\s/.test(grant.audience)) throw new Error(`${variable}: "${grant.audience}" is not a valid API audience.`);
    if (seen.has(grant.audience)) throw new Error(`${variable}: the audience ${grant.audience} is listed twice.`);
    seen.add(grant.audience);
    for (const scope of grant.scope) if (/\s/.test(scope) || !scope) throw new Error(`${variable}: "${scope}" is not a valid scope.`);
  }
  return grants;
}

function scopeList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value) && value.every((scope) => typeof scope === 'string')) return value as string[];
  throw new Error(`${where} must be a list of scope strings.`);
}
