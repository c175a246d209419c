/**
 * The signed-in pages' words in the page's language (`<html lang>`): messages
 * from `#page-data` (lambdas/web/script-messages.ts), plurals, dates and
 * relative times with Intl, and the API's error codes the scripts know turned
 * into catalogue messages. An unknown code shows the API's own `formError`.
 */
import { type ApiBody, inPageLanguage, pageText, readPageData } from './form';

let { messages } = readPageData<{ messages?: Record<string, string> }>();
export let pageLang = document.documentElement.lang || 'en';
let numbers = new Intl.NumberFormat(pageLang);
let dateTimes = new Intl.DateTimeFormat(pageLang, { dateStyle: 'medium', timeStyle: 'short' });
let relative = new Intl.RelativeTimeFormat(pageLang, { numeric: 'auto' });

/** The page now speaks `locale` with these messages (scripts/profile-language.ts switched it in place). */
export function usePageLanguage(locale: string, next: Record<string, string> | undefined): void {
  pageLang = locale;
  messages = next;
  numbers = new Intl.NumberFormat(locale);
  dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
}

type Params = Record<string, string | number>;
const asStrings = (params: Params = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'number' ? numbers.format(value) : value]));

/** A message with its `{placeholders}` filled; numbers in the page's language. */
export const text = (key: string, params?: Params): string => pageText(messages, key, asStrings(params));

/** A plural message (`key:one`, `key:other`, ...) for `count`. */
export function countText(key: string, count: number, params: Params = {}): string {
  const form = `${key}:${new Intl.PluralRules(pageLang).select(count)}`;
  return text(messages?.[form] ? form : `${key}:other`, { ...params, count });
}

export const dateText = (value: string | number | Date): string => dateTimes.format(new Date(value));

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 3600],
  ['day', 86_400],
];
/** "5 minutes ago" / "vor 5 Minuten" within a week, the date after that. */
export function whenText(value: string | number | Date, now = Date.now()): string {
  const seconds = (new Date(value).getTime() - now) / 1000;
  if (Math.abs(seconds) >= 7 * 86_400) return dateText(value);
  if (Math.abs(seconds) < 60) return relative.format(0, 'minute');
  const [unit, size] = [...RELATIVE_UNITS].reverse().find(([, length]) => Math.abs(seconds) >= length) ?? RELATIVE_UNITS[0];
  return relative.format(Math.round(seconds / size), unit);
}

/** The API's answer with its messages in the page's language where the code is known (form.ts `ANSWER_TEXTS`); other codes keep the API's English. */
export const localized = <T extends ApiBody>(body: T | null): T | null => inPageLanguage(body, messages);

/** A failure in words: the (translated) `formError`, or `<what> (HTTP n).` */
export function failureText(body: ApiBody | null, status: number, what: string): string {
  const answer = localized(body);
  return (answer && typeof answer.formError === 'string' && answer.formError) || text('account.script.failedWhat', { what, status });
}
