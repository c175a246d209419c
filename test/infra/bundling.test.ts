import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { ROUTES } from '../../lambdas/routes';
import { ARGON2_PACKAGES } from '../../lib/bundling';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './support/synth';

const LOGIN = ROUTES.find((route) => route.method === 'POST' && route.path === '/login-flow/login')!;

/** Where a function's bundled code was staged in the cloud assembly. */
function assetDir(synth: Synthesized, fn: { node: { findChild(id: string): unknown } }): string {
  const asset = fn.node.findChild('Code') as Asset;
  return isAbsolute(asset.assetPath) ? asset.assetPath : join(synth.app.outdir, asset.assetPath);
}

describe('Bundles (real esbuild run)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    // The login route alone keeps this to two esbuild runs; the bundling code is the same for every route.
    synth = synthesize({ routes: [LOGIN], bundling: true });
  }, 120_000);
  afterAll(() => rmSync(synth.app.outdir, { recursive: true, force: true }));

  it('ships the x64 Linux argon2 binary with the login function, which runs on x86_64', () => {
    // Prepare
    const fn = synth.stack.routeFunctions.forRoute(LOGIN);
    const dir = assetDir(synth, fn);

    // Act
    const binaries = readdirSync(join(dir, 'node_modules', '@node-rs', 'argon2-linux-x64-gnu')).filter((file) => file.endsWith('.node'));
    const properties = resourcesOf(synth.template)[logicalId(fn)].Properties as Record<string, unknown>;

    // Assess
    expect(binaries).toEqual(['argon2.linux-x64-gnu.node']);
    expect(readFileSync(join(dir, 'node_modules', '@node-rs', 'argon2-linux-x64-gnu', binaries[0])).subarray(0, 4)).toEqual(
      Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
    );
    expect(properties.Architectures).toEqual(['x86_64']);
    expect(properties.Runtime).toBe('nodejs24.x');
  });

  it('bundles the handler as ESM with a source map, leaving argon2 external', () => {
    // Prepare
    const dir = assetDir(synth, synth.stack.routeFunctions.forRoute(LOGIN));

    // Act
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };

    // Assess
    expect(code).toMatch(/from\s*"@node-rs\/argon2"/);
    expect(code).toContain('createRequire');
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(map.sources.some((source) => source.endsWith('lambdas/handlers/login-flow/login.ts'))).toBe(true);
  });

  it("takes the SDK's credentials from Lambda's environment alone, without the default chain's other sources", () => {
    // Prepare
    const dir = assetDir(synth, synth.stack.routeFunctions.forRoute(LOGIN));

    // Act
    const { sources } = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };

    // Assess
    expect(sources.some((source) => source.endsWith('lambdas/adapters/aws/lambda-credentials.ts'))).toBe(true);
    expect(sources.some((source) => source.includes('@aws-sdk/credential-provider-env/'))).toBe(true);
    expect(sources.filter((source) => /@aws-sdk\/(credential-provider-(node|sso|ini|process|web-identity)|nested-clients)\//.test(source))).toEqual([]);
  });

  it('ships a copy of argon2 that loads and hashes on its own, away from the project node_modules', () => {
    // Prepare
    const dir = assetDir(synth, synth.stack.routeFunctions.forRoute(LOGIN));
    const isolated = mkdtempSync(join(tmpdir(), 'loginbridge-asset-'));
    cpSync(join(dir, 'node_modules'), join(isolated, 'node_modules'), { recursive: true });

    // Act
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        "const a = require('@node-rs/argon2'); const h = a.hashSync('pw', { memoryCost: 19456, timeCost: 2 }); process.stdout.write(String(a.verifySync(h, 'pw')) + ' ' + require.resolve('@node-rs/argon2'))",
      ],
      { cwd: isolated, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_PATH: '' } },
    );
    rmSync(isolated, { recursive: true, force: true });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`true ${join(isolated, 'node_modules', '@node-rs', 'argon2', 'index.js')}`);
  });

  it('ships exactly the argon2 packages and nothing else from node_modules', () => {
    // Prepare
    const dir = assetDir(synth, synth.stack.routeFunctions.forRoute(LOGIN));

    // Act
    const scopes = readdirSync(join(dir, 'node_modules'));
    const packages = readdirSync(join(dir, 'node_modules', '@node-rs')).map((name) => `@node-rs/${name}`);

    // Assess
    expect(scopes).toEqual(['@node-rs']);
    expect(packages.sort()).toEqual([...ARGON2_PACKAGES].sort());
  });

  it('leaves argon2 out of a bundle that never imports it (the signing-key rotation)', () => {
    // Act
    const dir = assetDir(synth, synth.stack.signingKey.rotation.fn);

    // Assess
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).not.toContain('@node-rs/argon2');
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });
});
