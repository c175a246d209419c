import { TargetNotAllowedError } from '../errors';
import { FRAGMENT_BREAKING } from './links';

/**
 * Redirect targets for the Acronis hand-off. The allow-list comes from
 * configuration as URL prefixes in which `{dc}` stands for the data center
 * (default `{dc}/mc/` and `{dc}/bc/`). A target matches an entry when scheme, host and port
 * are identical and its path equals the entry's path, or lies below it when
 * the entry ends with `/`. Everything is compared on parsed, normalised URLs,
 * so `..`, `%2e%2e`, user-info, backslashes and protocol-relative tricks
 * cannot lead anywhere else: there is no open redirect. Targets holding a
 * character that would break the link's fragment (`&`, `%`, `+`) are refused,
 * so the target can travel as the plain URL Acronis's guide shows.
 */
export interface AllowedTarget {
  origin: string;
  path: string;
  /** The entry as written (with `{dc}` replaced), used as the default target. */
  href: string;
}

const MAX_TARGET_LENGTH = 2048;

function parseHttpUrl(value: string): URL | undefined {
  // Backslashes and control characters are read differently by browsers and parsers: refuse them outright.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point of this check.
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return url;
}

/** The allow-list as configured (comma-separated), with `{dc}` replaced by the data-center URL. */
export function parseAllowList(configured: string, dc: string): AllowedTarget[] {
  const base = dc.replace(/\/+$/, '');
  return configured
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const href = entry.replace(/\{dc\}/g, base);
      const url = parseHttpUrl(href);
      if (!url) throw new Error(`Allow-list entry "${entry}" is not an http(s) URL.`);
      if (url.search || url.hash) throw new Error(`Allow-list entry "${entry}" must not have a query or fragment.`);
      if (FRAGMENT_BREAKING.test(url.href)) throw new Error(`Allow-list entry "${entry}" must not contain &, % or +.`);
      return { origin: url.origin, path: url.pathname, href: url.href };
    });
}

/**
 * The target to send the user to: `requested` if it is on the list (a path
 * such as `/bc/` is read relative to the data center), else the first entry
 * when nothing was requested. Throws TargetNotAllowedError otherwise.
 */
export function resolveTarget(requested: string | undefined, allowList: AllowedTarget[], dc: string, field = 'target_uri'): string {
  if (!allowList.length) throw new TargetNotAllowedError(field, 'No redirect targets are configured.');
  if (requested === undefined || requested === '') return allowList[0].href;
  if (requested.length > MAX_TARGET_LENGTH) throw new TargetNotAllowedError(field);
  // Only a single leading slash makes a data-center path; `//host` is protocol-relative and stays absolute.
  const absolute = /^\/(?!\/)/.test(requested) ? `${dc.replace(/\/+$/, '')}${requested}` : requested;
  const url = parseHttpUrl(absolute);
  if (!url) throw new TargetNotAllowedError(field, 'The target must be an absolute http(s) URL on the allow-list.');
  const allowed = allowList.some(
    (entry) => entry.origin === url.origin && (url.pathname === entry.path || (entry.path.endsWith('/') && url.pathname.startsWith(entry.path))),
  );
  if (!allowed) throw new TargetNotAllowedError(field);
  if (FRAGMENT_BREAKING.test(url.href)) throw new TargetNotAllowedError(field, 'The target must not contain &, % or + (they would break the sign-in link).');
  return url.href;
}
