import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLoginBridge } from '../../../lib/app';
import type { LoginBridgeStack } from '../../../lib/loginbridge-stack';
import type { Route } from '../../../lambdas/routes';

/** The context cdk.json gives the app (the `loginbridge` block and any feature flags). */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')).context;

export interface SynthOptions {
  /** Extra context, as `-c key=value` would give it (values may be strings). */
  readonly context?: Record<string, unknown>;
  readonly routes?: readonly Route[];
  /** Run esbuild for every function (slow); off, the template is the same but the assets are placeholders. */
  readonly bundling?: boolean;
  /**
   * CDK's built-in CloudFormation schema validation, on in `cdk synth`. It
   * loads the resource schemas once per test file (~25 s on a busy 2-core
   * machine), so only the test that is about it turns it on.
   */
  readonly cloudFormationValidation?: boolean;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: LoginBridgeStack;
  readonly template: Template;
}

const cache = new Map<string, Synthesized>();

/**
 * Builds the app exactly as bin/app.ts does (cdk-nag included) and
 * synthesizes the stack once per distinct options within a test file.
 */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const key = JSON.stringify({ context: options.context ?? {}, routes: options.routes ?? null, bundling: options.bundling ?? false, cfn: options.cloudFormationValidation ?? false });
  const cached = cache.get(key);
  if (cached) return cached;
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stack = buildLoginBridge(app, { routes: options.routes });
  const synthesized = { app, stack, template: Template.fromStack(stack) };
  cache.set(key, synthesized);
  return synthesized;
}

/** The logical id a construct's resource has in the template. */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(resource);
}

/**
 * A template value as readable text: `Ref` and `Fn::GetAtt` of known logical
 * ids become their names, pseudo parameters `${AWS::Region}`, joins are joined.
 */
export function render(value: unknown, names: ReadonlyMap<string, string> = new Map()): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => render(item, names)).join(',');
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) {
      const ref = object.Ref as string;
      return ref.startsWith('AWS::') ? `\${${ref}}` : (names.get(ref) ?? ref);
    }
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      return `${names.get(id) ?? id}.${attribute}`;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => render(part, names)).join(separator);
    }
  }
  return JSON.stringify(value);
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;
