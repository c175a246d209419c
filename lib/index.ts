/**
 * The package entry point for a host CDK app (see docs/infrastructure.md,
 * "In your own CDK app"): the construct, its typed settings, and
 * the error a bad setting throws.
 */

export {
  type AlarmThresholds,
  type CustomDomainSettings,
  type LoginBridgeSettings,
  type PartnerSecretSource,
  parseConfig,
  type StackConfig,
  StackConfigurationError,
  type WafSettings,
} from './config';
export { LoginBridge, type LoginBridgeProps } from './loginbridge';
export { LoginBridgeStack, type LoginBridgeStackProps } from './loginbridge-stack';
