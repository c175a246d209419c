import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Route } from '../lambdas/routes';
import { loadStage } from './config';
import { LoginBridgeStack } from './loginbridge-stack';

export interface BuildOptions {
  /** The route table; ROUTES by default. */
  readonly routes?: readonly Route[];
}

/**
 * This repository's app, a thin user of the LoginBridge construct: builds the
 * stage the context selects (cdk.json `loginbridge` plus
 * `-c loginbridge.key=value`, see loadStage) in its account and region, and
 * does what belongs to whoever owns the app: tags, and cdk-nag's AWS
 * Solutions checks, so `cdk synth` fails on any finding not acknowledged with
 * a reason. A bad configuration value throws before anything is built.
 */
export function buildLoginBridge(app: App, options: BuildOptions = {}): LoginBridgeStack {
  const { stage, account, region, settings } = loadStage(app);
  const stack = new LoginBridgeStack(app, `LoginBridge-${stage}`, {
    settings,
    routes: options.routes,
    // Environment-agnostic unless the stage or the CLI names an account and region (synth needs neither).
    env: { account, region },
  });
  Tags.of(stack).add('app', 'loginbridge');
  Tags.of(stack).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
