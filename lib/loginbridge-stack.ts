import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Route } from '../lambdas/routes';
import type { LoginBridgeSettings } from './config';
import { LoginBridge } from './loginbridge';

export interface LoginBridgeStackProps extends StackProps {
  /** The `loginbridge` settings (validated by the construct). */
  readonly settings: LoginBridgeSettings;
  /** The route table; ROUTES unless a test passes its own. */
  readonly routes?: readonly Route[];
}

/**
 * This repository's own deployment: one stack holding the LoginBridge
 * construct, as any host app would. The construct's id is `Default`, which
 * CDK leaves out of logical ids, so every resource keeps the logical id it
 * had when this stack held the resources itself (no replacement of the
 * table or the secrets on the first deploy after the move).
 *
 * Production stages get termination protection: `cdk destroy` and a stray
 * delete-stack fail until it is switched off on purpose.
 */
export class LoginBridgeStack extends Stack {
  public readonly loginBridge: LoginBridge;

  constructor(scope: Construct, id: string, props: LoginBridgeStackProps) {
    const { settings, routes, ...stackProps } = props;
    super(scope, id, { description: `LoginBridge (${String(settings.stage ?? 'dev')}): self-hosted login backend`, ...stackProps });
    this.loginBridge = new LoginBridge(this, 'Default', { ...settings, routes });
    this.terminationProtection = stackProps.terminationProtection ?? this.loginBridge.config.production;
  }

  // The construct's parts, where the tests and tools found them when the stack held them.
  get config() {
    return this.loginBridge.config;
  }
  get data() {
    return this.loginBridge.data;
  }
  get signingKey() {
    return this.loginBridge.signingKey;
  }
  get refreshTokenKey() {
    return this.loginBridge.refreshTokenKey;
  }
  get invitationKey() {
    return this.loginBridge.invitationKey;
  }
  get factorKey() {
    return this.loginBridge.factorKey;
  }
  get partnerSecrets() {
    return this.loginBridge.partnerSecrets;
  }
  get routeFunctions() {
    return this.loginBridge.routeFunctions;
  }
  get areaStacks() {
    return this.loginBridge.areaStacks;
  }
  get api() {
    return this.loginBridge.api;
  }
  get edge() {
    return this.loginBridge.edge;
  }
  get observability() {
    return this.loginBridge.observability;
  }
  get teamCleanup() {
    return this.loginBridge.teamCleanup;
  }
  get customDomain() {
    return this.loginBridge.customDomain;
  }
}
