import { parseConfig } from '../../lib/config';

const VALID = { publicBaseUrl: 'https://login.example.com', senderEmail: 'no-reply@example.com' };

describe('Stack configuration: lazy migration', () => {
  it('passes the legacy login and profile endpoints to the handlers', () => {
    // Act
    const config = parseConfig({
      ...VALID,
      legacyLoginUrl: 'https://old.example.com/login-flow/login',
      legacyProfileUrl: 'https://old.example.com/login-flow/profile',
    });
    // Assess
    expect(config.handlerEnvironment).toMatchObject({
      LEGACY_LOGIN_URL: 'https://old.example.com/login-flow/login',
      LEGACY_PROFILE_URL: 'https://old.example.com/login-flow/profile',
    });
  });

  it('forwards nothing unless configured', () => {
    expect(parseConfig(VALID).handlerEnvironment.LEGACY_LOGIN_URL).toBeUndefined();
  });

  it('refuses a legacy endpoint that is not https (passwords travel to it), or one set through handlerSettings', () => {
    expect(() => parseConfig({ ...VALID, legacyLoginUrl: 'http://old.example.com/login' })).toThrow(/legacyLoginUrl/);
    expect(() => parseConfig({ ...VALID, handlerSettings: { LEGACY_LOGIN_URL: 'https://old.example.com/login' } })).toThrow(/legacyLoginUrl/);
  });
});
