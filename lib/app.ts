import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Route } from '../lambdas/routes';
import { loadConfig } from './config';
import { LoginBridgeStack } from './loginbridge-stack';

export interface BuildOptions {
  /** The route table; ROUTES by default. */
  readonly routes?: readonly Route[];
}

/**
 * Builds the LoginBridge stack into an app from the app's context (cdk.json
 * `loginbridge` plus `-c` overrides) and registers cdk-nag's AWS Solutions
 * checks, so `cdk synth` fails on any finding not acknowledged with a reason.
 * A bad configuration value throws before anything is built.
 */
export function buildLoginBridge(app: App, options: BuildOptions = {}): LoginBridgeStack {
  const config = loadConfig(app);
  const stack = new LoginBridgeStack(app, `LoginBridge-${config.stage}`, {
    config,
    routes: options.routes,
    // Environment-agnostic unless the CLI knows an account and region (synth needs neither).
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Tags.of(stack).add('app', 'loginbridge');
  Tags.of(stack).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
