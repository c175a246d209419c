import { join } from 'node:path';

/**
 * How every handler is bundled, shared by the CDK stack (NodejsFunction) and
 * the benchmark (plain esbuild), so the benchmark measures what is deployed.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/**
 * Only argon2's native package stays outside the bundle. The AWS SDK v3 is bundled (ESM, tree-shaken, the
 * version the tests ran): measured, a function imports in about half the time of one that loads the
 * runtime's CommonJS copy (docs/performance.md).
 */
export const EXTERNAL_MODULES = ['@node-rs/argon2', '@node-rs/argon2-*'];

/** What was external before: the SDK left to the runtime's copy. The benchmark still builds it, to compare. */
export const RUNTIME_SDK_EXTERNAL_MODULES = ['@aws-sdk/*', '@smithy/*', ...EXTERNAL_MODULES];

/**
 * Module substitutions for the deployed bundles: the SDK's default credential
 * chain becomes the environment-only provider Lambda needs (about 108 KB less
 * per function to compile at a cold start; see the module's comment and
 * docs/performance.md). Absolute paths: esbuild runs in the project root,
 * which is a host app's own root when the LoginBridge construct is embedded.
 */
export const ESBUILD_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(__dirname, '..', 'lambdas', 'adapters', 'aws', 'lambda-credentials.ts'),
};

/** Prefer each package's ESM build, so esbuild can tree-shake the SDK. */
export const MAIN_FIELDS = ['module', 'main'];

/** Lets ESM bundles `require` the CommonJS modules some dependencies still use. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __loginbridgeCreateRequire } from 'node:module';const require = __loginbridgeCreateRequire(import.meta.url);";

/** The native argon2 package and its binary for the function's architecture (x86_64 on Amazon Linux: glibc). */
export const ARGON2_PACKAGES = ['@node-rs/argon2', '@node-rs/argon2-linux-x64-gnu'];
