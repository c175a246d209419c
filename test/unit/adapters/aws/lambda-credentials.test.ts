import { defaultProvider } from '../../../../lambdas/adapters/aws/lambda-credentials';

describe('the credential provider of the deployed bundles', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("answers with the role's credentials Lambda puts in the environment", async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEKEY';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    process.env.AWS_SESSION_TOKEN = 'example-session-token';
    // Act
    const credentials = await defaultProvider()();
    // Assess
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLEKEY', secretAccessKey: 'example-secret', sessionToken: 'example-session-token' });
  });

  it('refuses, rather than looking elsewhere, when the environment holds no credentials', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    // Act
    const attempt = defaultProvider()();
    // Assess
    await expect(attempt).rejects.toThrow(/environment/i);
  });
});
