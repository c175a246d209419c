import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStackOptions } from '../../local/stack';
import { launchBrowser, phonePage } from './browser';
import { startTestStack, type TestStack } from './local-stack';

export interface BrowserSuiteOptions extends Omit<LocalStackOptions, 'env'> {
  /** The stack's settings; a function is called in beforeAll, after the file's own earlier beforeAll hooks (simulators). */
  env?: Record<string, string> | (() => Record<string, string>);
}

/** What a browser test works with: the file's stack and browser, and this test's page (with its context). */
export interface BrowserSuite {
  readonly stack: TestStack;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * The hooks every browser test file needs, in one place: a local stack and Chromium for the whole file, a fresh
 * phone-sized page per test, and after each test no script error or CSP refusal on it. Call it at the top of a
 * `describe`, then take what a test needs in a `beforeEach`:
 *
 *     const suite = browserSuite({ env: { TERMS_REQUIRED: 'true' } });
 *     let page: Page;
 *     beforeEach(() => ({ page } = suite));
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let stack: TestStack | undefined;
  let browser: Browser | undefined;
  let current: { context: BrowserContext; page: Page; errors: string[] } | undefined;
  const { env, ...stackOptions } = options;

  beforeAll(async () => {
    stack = await startTestStack({ ...stackOptions, env: typeof env === 'function' ? env() : env });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    current = await phonePage(started(browser, 'browser'));
  });
  afterEach(async () => {
    await current?.context.close();
    expect(current?.errors ?? []).toEqual([]);
  });

  return {
    get stack() {
      return started(stack, 'stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get context() {
      return started(current, 'page').context;
    },
    get page() {
      return started(current, 'page').page;
    },
  };
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The browser suite's ${what} is not started: use it inside a test or a hook.`);
  return value;
}
