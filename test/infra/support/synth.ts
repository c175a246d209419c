import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { Route } from '../../../lambdas/routes';
import { buildLoginBridge } from '../../../lib/app';
import type { LoginBridgeStack } from '../../../lib/loginbridge-stack';

/** The context cdk.json gives the app (the `loginbridge` block and any feature flags). */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')).context;

export interface SynthOptions {
  /** LoginBridge settings, as `-c loginbridge.key=value` would give them (values may be strings). */
  readonly context?: Record<string, unknown>;
  /** Context as given, not under `loginbridge.` (feature flags, a top-level key a test means to refuse). */
  readonly rawContext?: Record<string, unknown>;
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
  /**
   * The parent template with every nested stack flattened into it: their
   * resources merged in, their parameters replaced by what the parent passes
   * and `Fn::GetAtt [Nested, Outputs.X]` by the output's value, so one
   * template shows what the whole deployment holds.
   */
  readonly template: Template;
  /** Each stack's own template, the parent's included, by construct path. */
  readonly stackTemplates: ReadonlyMap<string, Template>;
}

const cache = new Map<string, Synthesized>();

/**
 * Builds the app exactly as bin/app.ts does (cdk-nag included) and
 * synthesizes the stack once per distinct options within a test file.
 */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const key = JSON.stringify({
    context: options.context ?? {},
    rawContext: options.rawContext ?? {},
    routes: options.routes ?? null,
    bundling: options.bundling ?? false,
    cfn: options.cloudFormationValidation ?? false,
  });
  const cached = cache.get(key);
  if (cached) return cached;
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...asFlags(options.context ?? {}),
      ...options.rawContext,
    },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stack = buildLoginBridge(app, { routes: options.routes });
  const parent = Template.fromStack(stack);
  const nested = stack.node.findAll().filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct));
  const stackTemplates = new Map<string, Template>([
    [stack.node.path, parent],
    ...nested.map((child) => [child.node.path, Template.fromStack(child)] as const),
  ]);
  const flat = flatten(
    stack,
    parent.toJSON(),
    nested.map((child) => ({ child, template: (stackTemplates.get(child.node.path) as Template).toJSON() })),
  );
  const synthesized = { app, stack, template: Template.fromJSON(flat), stackTemplates };
  cache.set(key, synthesized);
  return synthesized;
}

/** Settings as `-c loginbridge.key=value` gives them: `{ stage: 'prod' }` becomes `{ 'loginbridge.stage': 'prod' }`. */
export const asFlags = (settings: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(settings).map(([key, value]) => [`loginbridge.${key}`, value]));

type Json = Record<string, any>;

/** Replaces every object `replace` maps to a value (undefined: keep it and look inside) throughout a template value. */
function substitute(value: unknown, replace: (object: Json) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, replace));
  if (value && typeof value === 'object') {
    const replaced = replace(value as Json);
    if (replaced !== undefined) return replaced;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, replace)]));
  }
  return value;
}

function flatten(root: Stack, parent: Json, children: readonly { child: NestedStack; template: Json }[]): Json {
  const resources: Json = { ...parent.Resources };
  const outputs = new Map<string, Json>();
  for (const { child, template } of children) {
    const id = root.getLogicalId(child.nestedStackResource as CfnElement);
    const given: Json = resources[id]?.Properties?.Parameters ?? {};
    delete resources[id];
    const resolved = substitute(template, (object) =>
      'Ref' in object && typeof object.Ref === 'string' && object.Ref in given ? given[object.Ref] : undefined,
    ) as Json;
    for (const [name, resource] of Object.entries(resolved.Resources ?? {})) {
      if (name in resources) throw new Error(`Flattening ${child.node.path}: logical id ${name} is in two stacks.`);
      resources[name] = resource;
    }
    outputs.set(id, resolved.Outputs ?? {});
  }
  const fromOutputs = (object: Json) => {
    const getAtt = object['Fn::GetAtt'];
    if (!Array.isArray(getAtt) || !outputs.has(getAtt[0]) || !String(getAtt[1]).startsWith('Outputs.')) return undefined;
    const output = (outputs.get(getAtt[0]) as Json)[String(getAtt[1]).slice('Outputs.'.length)];
    if (!output) throw new Error(`Flattening: ${getAtt.join('.')} is no output of the nested stack.`);
    return substitute(output.Value, fromOutputs);
  };
  return substitute({ ...parent, Resources: resources }, fromOutputs) as Json;
}

/** The logical id a construct's resource has in the template (its own stack's, which the flattened template keeps). */
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

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

export const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;
