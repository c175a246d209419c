import { Auth0Error, badBody, badQuery } from './errors';

/** The body of a Management API or token request: JSON (an object) or, at the token endpoint, a form. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw.trim()) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Auth0Error(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badBody('Expected type object');
  return parsed as Record<string, unknown>;
}

/** Auth0 refuses properties its schema does not name ("Additional properties not allowed"). */
export function refuseUnknownProperties(body: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const extra = Object.keys(body).filter((key) => !allowed.has(key));
  if (extra.length) throw badBody(`Additional properties not allowed: ${extra.join(',')}`);
}

const MAX_PER_PAGE = 100;

export interface PageParams {
  readonly page: number;
  readonly perPage: number;
  readonly includeTotals: boolean;
}

/** `page`, `per_page` (at most 100) and `include_totals` of a list call. */
export function pageParams(query: URLSearchParams): PageParams {
  const page = Number(query.get('page') ?? '0');
  const perPage = Number(query.get('per_page') ?? '50');
  if (!Number.isInteger(page) || page < 0) throw badQuery(`Invalid value ${query.get('page')} for page`);
  if (!Number.isInteger(perPage) || perPage < 0 || perPage > MAX_PER_PAGE)
    throw badQuery(`Invalid value ${query.get('per_page')} for per_page, maximum ${MAX_PER_PAGE}`);
  return { page, perPage, includeTotals: query.get('include_totals') === 'true' };
}

/** One page of `all`; with `include_totals` wrapped as `{start, limit, length, total, [listName]}`. */
export function pageOf<T>(all: readonly T[], params: PageParams, listName: string, view: (item: T) => unknown = (item) => item): unknown {
  const { page, perPage, includeTotals } = params;
  const slice = all.slice(page * perPage, page * perPage + perPage).map(view);
  return includeTotals ? { start: page * perPage, limit: perPage, length: slice.length, total: all.length, [listName]: slice } : slice;
}

/** `fields` and `include_fields` of a read: only (or all but) the named properties. */
export function selectFields<T extends object>(item: T, query: URLSearchParams): Partial<T> {
  const fields = query.get('fields');
  if (!fields) return item;
  const names = new Set(fields.split(',').map((name) => name.trim()));
  const include = query.get('include_fields') !== 'false';
  return Object.fromEntries(Object.entries(item).filter(([key]) => names.has(key) === include)) as Partial<T>;
}

/**
 * Auth0's metadata merge: top-level keys merge into what is stored, a nested
 * object replaces the stored one whole, and a key set to null is removed.
 */
export function mergeMetadata(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** `app_metadata` or `user_metadata` of a body: absent, or an object. */
export function metadataPatch(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badBody(`Expected type object but found type ${Array.isArray(value) ? 'array' : typeof value} (${field})`);
  return value as Record<string, unknown>;
}
