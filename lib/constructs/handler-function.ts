import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_SECONDS } from '../../lambdas/time-budget';
import { ARGON2_PACKAGES, ESBUILD_ALIASES, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, LAMBDA_NODE_TARGET, MAIN_FIELDS } from '../bundling';

/** Where handler modules live: `lambdas/handlers/<handler>.ts`. */
export const HANDLERS_DIR = join(__dirname, '..', '..', 'lambdas', 'handlers');

/**
 * Every function runs on x86_64 because the native argon2 binary shipped with
 * it is the one npm installed on the build host, which is x64 Linux:
 * `@node-rs/argon2-linux-x64-gnu` (ARGON2_PACKAGES). Graviton (arm64) would
 * be ~20% cheaper per GB-second, but it needs the linux-arm64-gnu binary in
 * the asset, which an x64 build host does not have without a cross-platform
 * install; a mismatch would only show at the first login in AWS.
 */
export const FUNCTION_ARCHITECTURE = Architecture.X86_64;

export const DEFAULT_MEMORY_MB = 512;
/** From lambdas/time-budget.ts, which also derives the partner budget from it. */
export const FUNCTION_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT_SECONDS);

export interface HandlerFunctionProps {
  /** Module under lambdas/handlers, without extension. */
  readonly handler: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeout?: Duration;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly tracing: boolean;
  /** Keep the log group when the stack is deleted. */
  readonly retainLogs: boolean;
}

/**
 * The shell commands that ship argon2 beside a bundle that imports it.
 *
 * argon2 is a native module, so esbuild leaves it external (EXTERNAL_MODULES)
 * and the bundle imports it at load time. `bundling.nodeModules` would run
 * `npm install` at synth time, which needs the registry; instead the
 * packages already installed locally are copied. The copy is conditional on
 * the bundle naming the package, so every function whose code reaches the
 * hasher (today: all that import the composition root) gets it and the
 * others stay small, with no list to keep in step with the code.
 */
export function shipArgon2Commands(inputDir: string, outputDir: string): string[] {
  const copies = ARGON2_PACKAGES.map((name) => {
    const from = `${inputDir}/node_modules/${name}`;
    const to = `${outputDir}/node_modules/${name}`;
    return `{ test -d "${from}" || { echo "LoginBridge: ${from} is missing; run npm install on an x86_64 Linux host (see docs/infrastructure.md, "Architecture: x86_64")" >&2; exit 1; }; mkdir -p "${to}" && cp -R "${from}/." "${to}/"; }`;
  });
  return [`if grep -q "@node-rs/argon2" "${outputDir}/index.mjs"; then ${copies.join(' && ')}; fi`];
}

const ARGON2_HOOKS: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: shipArgon2Commands,
};

/**
 * One Lambda function from a handler module, bundled as every function is
 * (lib/bundling.ts), with its own role and log group. The role starts empty
 * except for writing to that log group (no AWS managed policy); every other
 * permission is granted by whoever also gives the function the variable that
 * points at the resource.
 */
export class HandlerFunction extends Construct {
  public readonly fn: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const memorySize = props.memoryMb ?? DEFAULT_MEMORY_MB;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new Error(`${props.handler}: memoryMb must be an integer from 128 to 10240 (got ${memorySize}).`);
    }
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `LoginBridge ${props.handler}: only what its route declares`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(HANDLERS_DIR, `${props.handler}.ts`),
      handler: 'handler',
      description: props.description.slice(0, 256),
      runtime: Runtime.NODEJS_24_X,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize,
      timeout: props.timeout ?? FUNCTION_TIMEOUT,
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      // SDK v3 keeps connections alive by itself; the variable would only be noise.
      awsSdkConnectionReuse: false,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_NODE_TARGET,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        mainFields: [...MAIN_FIELDS],
        externalModules: [...EXTERNAL_MODULES],
        banner: ESM_REQUIRE_BANNER,
        logLevel: LogLevel.WARNING,
        // esbuild is a local devDependency: no Docker (and no daemon on build hosts like this one).
        forceDockerBundling: false,
        commandHooks: ARGON2_HOOKS,
        esbuildArgs: Object.fromEntries(Object.entries(ESBUILD_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
      },
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Tracing is on: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires "*".',
      });
    }
  }
}
