import { ConfigurationError, settings } from '../../../lambdas/config';
import { parseProfileFieldSpecs } from '../../../lambdas/core/profile-fields';

describe('parseProfileFieldSpecs', () => {
  it('reads name:type[:maxLength], with a default length per type', () => {
    expect(parseProfileFieldSpecs(' company:string:100, employees:number , newsletter:boolean,')).toEqual([
      { name: 'company', type: 'string', maxLength: 100 },
      { name: 'employees', type: 'number', maxLength: 15 },
      { name: 'newsletter', type: 'boolean', maxLength: 5 },
    ]);
    expect(parseProfileFieldSpecs('')).toEqual([]);
  });

  it.each([
    ['an unknown type', 'company:text'],
    ['a Login Flow field', 'email:string'],
    ['a prototype key', '__proto__:string'],
    ['a name with a dot', 'a.b:string'],
    ['a length of zero', 'company:string:0'],
    ['a length that is not a number', 'company:string:lots'],
    ['the same name twice', 'a:string,a:number'],
    ['too many parts', 'a:string:5:x'],
  ])('refuses %s', (_name, configured) => {
    expect(() => parseProfileFieldSpecs(configured)).toThrow();
  });

  it('makes a bad REGISTRATION_EXTRA_FIELDS fail loudly at cold start, naming the setting', () => {
    expect(() => settings({ REGISTRATION_EXTRA_FIELDS: 'password:string' })).toThrow(ConfigurationError);
    expect(() => settings({ REGISTRATION_EXTRA_FIELDS: 'password:string' })).toThrow(/REGISTRATION_EXTRA_FIELDS/);
    expect(settings({}).REGISTRATION_EXTRA_FIELDS).toEqual([]);
  });
});
