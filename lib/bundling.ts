/**
 * How every handler is bundled, shared by the CDK stack (NodejsFunction) and
 * the benchmark (plain esbuild), so the benchmark measures what is deployed.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/** Provided by the Lambda Node.js 24 runtime, or shipped beside the bundle (argon2's native binary). */
export const EXTERNAL_MODULES = ['@aws-sdk/*', '@smithy/*', '@node-rs/argon2', '@node-rs/argon2-*'];

/** Lets ESM bundles `require` the CommonJS modules some dependencies still use. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __loginbridgeCreateRequire } from 'node:module';const require = __loginbridgeCreateRequire(import.meta.url);";

/** The native argon2 package and its binary for the function's architecture (x86_64 on Amazon Linux: glibc). */
export const ARGON2_PACKAGES = ['@node-rs/argon2', '@node-rs/argon2-linux-x64-gnu'];
