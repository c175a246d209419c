/**
 * Extra registration fields. Applicaster's register screen can carry fields
 * beyond the contract's six; a platform lists the ones it keeps (name, type,
 * maximum length) and every other unknown field stays ignored. The values are
 * validated, stored on the profile under `profileFields` and returned by
 * GET /login-flow/me.
 */
export type ProfileFieldType = 'string' | 'number' | 'boolean';
export type ProfileFieldValue = string | number | boolean;

export interface ProfileFieldSpec {
  name: string;
  type: ProfileFieldType;
  /** Characters of a string, or of a number written in decimal; unused for booleans. */
  maxLength: number;
}

/** Names the Login Flow already gives a meaning to (and what a JSON object must never be merged with). */
const RESERVED = new Set([
  'firstName',
  'lastName',
  'email',
  'username',
  'password',
  'passwordConfirmation',
  'approveTermsOfUse',
  'approveMarketing',
  'platform',
  'signedDeviceInfoToken',
  '__proto__',
  'constructor',
  'prototype',
]);
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const DEFAULT_MAX_LENGTH: Record<ProfileFieldType, number> = { string: 200, number: 15, boolean: 5 };
const MAX_FIELDS = 20;
const LONGEST_STRING = 2000;

/**
 * `name:type[:maxLength]`, comma-separated, e.g.
 * `company:string:100,employees:number:6,newsletter:boolean`. Throws an Error
 * naming the bad entry (the settings turn it into a ConfigurationError).
 */
export function parseProfileFieldSpecs(configured: string): ProfileFieldSpec[] {
  const specs = configured
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): ProfileFieldSpec => {
      const [name, type, max, ...rest] = entry.split(':').map((part) => part.trim());
      if (!name || !NAME.test(name) || rest.length) throw new Error(`"${entry}": write name:type[:maxLength], the name a letter then letters, digits or _.`);
      if (RESERVED.has(name)) throw new Error(`"${name}" is a Login Flow field already.`);
      if (type !== 'string' && type !== 'number' && type !== 'boolean') throw new Error(`"${entry}": the type is string, number or boolean.`);
      const maxLength = max === undefined || max === '' ? DEFAULT_MAX_LENGTH[type] : Number(max);
      if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > (type === 'string' ? LONGEST_STRING : 30))
        throw new Error(`"${entry}": maxLength must be a whole number from 1 to ${type === 'string' ? LONGEST_STRING : 30}.`);
      return { name, type, maxLength };
    });
  if (specs.length > MAX_FIELDS) throw new Error(`At most ${MAX_FIELDS} extra fields.`);
  if (new Set(specs.map((spec) => spec.name)).size !== specs.length) throw new Error('Each extra field may be listed once.');
  return specs;
}
