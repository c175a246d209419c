import { type AppleSimulator, startAppleSimulator } from '../../local/simulators/apple';
import { type GoogleSimulator, startGoogleSimulator } from '../../local/simulators/google';
import { startTestStack, type TestStack } from './local-stack';

type Provider = 'apple' | 'google';

export interface SignInProvidersOnStack {
  readonly stack: TestStack;
  readonly apple: AppleSimulator;
  readonly google: GoogleSimulator;
}

export interface SignInProvidersOptions {
  /** Which simulators the stack is pointed at (both by default); the other one still runs, unconfigured. */
  providers?: readonly Provider[];
  /** More settings, or overrides of the simulators' own; a function gets the started simulators. */
  env?: Record<string, string> | ((simulators: { apple: AppleSimulator; google: GoogleSimulator }) => Record<string, string>);
}

/**
 * The hooks every federation test file needs, in one place: Apple's and Google's simulators and a local stack pointed
 * at them (`stackEnv()`), with the web flow's callback URIs registered, for the whole file. Call it at the top of a
 * `describe`, then take what the tests use in a `beforeAll`:
 *
 *     const started = stackWithSignInProviders({ env: { TERMS_REQUIRED: 'true' } });
 *     let stack: TestStack;
 *     let google: GoogleSimulator;
 *     beforeAll(() => ({ stack, google } = started));
 */
export function stackWithSignInProviders(options: SignInProvidersOptions = {}): SignInProvidersOnStack {
  const providers = options.providers ?? ['apple', 'google'];
  let running: SignInProvidersOnStack | undefined;

  beforeAll(async () => {
    const [apple, google] = await Promise.all([startAppleSimulator(), startGoogleSimulator()]);
    const extra = typeof options.env === 'function' ? options.env({ apple, google }) : options.env;
    const stack = await startTestStack({
      env: {
        ...(providers.includes('apple') ? apple.stackEnv() : {}),
        ...(providers.includes('google') ? google.stackEnv() : {}),
        ...extra,
      },
    });
    apple.addRedirectUri(`${stack.url}/login-flow/web-sign-in/apple/callback`);
    google.addRedirectUri(`${stack.url}/login-flow/web-sign-in/google/callback`);
    running = { stack, apple, google };
  });
  afterAll(async () => {
    await running?.stack.stop();
    await running?.apple.stop();
    await running?.google.stop();
  });

  const started = (): SignInProvidersOnStack => {
    if (!running) throw new Error('The sign-in providers are not started: use them inside a test or a hook.');
    return running;
  };
  return {
    get stack() {
      return started().stack;
    },
    get apple() {
      return started().apple;
    },
    get google() {
      return started().google;
    },
  };
}
