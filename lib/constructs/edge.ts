import { Arn, ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnRegexPatternSet, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { WafSettings } from '../config';

/**
 * The sign-in paths the per-IP rate rule covers: everything that checks a
 * password, mints a code or token, or lets someone guess one. `*` stands for
 * one path segment, and a trailing `/*?` one optional segment (AWS WAF takes
 * at most 10 regexes per pattern set, so a route and its sub-routes share one).
 * Paths are matched at the end of the URI, so they work
 * behind the execute-api stage prefix (`/prod/login-flow/login`) and behind a
 * custom domain with or without a base path.
 */
export const SIGN_IN_PATHS: readonly string[] = [
  '/login-flow/login/*?',
  '/login-flow/register',
  '/login-flow/reset-password/*?',
  '/login-flow/web-session',
  '/login-flow/change-password',
  '/login-flow/change-email',
  '/sso/*/login',
  '/oauth/token',
  '/oauth/device_authorization',
  '/activate/*',
];

/**
 * Paths whose JSON body carries a password. A random password can contain
 * `<script` or `../`; the core rule set's body rules for cross-site
 * scripting and local file inclusion must not lock such a user out, so on
 * these paths they only count (the functions never render or open what they
 * are sent).
 */
export const PASSWORD_PATHS: readonly string[] = [
  '/login-flow/login',
  '/login-flow/register',
  '/login-flow/reset-password/confirm',
  '/login-flow/change-password',
  '/login-flow/change-email',
  '/sso/astrato/login',
  '/sso/acronis/login',
];

/** The path AWS WAF's account takeover prevention watches (POST, JSON `email` and `password`). */
export const ATP_LOGIN_PATH = '/login-flow/login';

/** Core rule set rules overridden to Count; see `Edge` for why each. */
export const COMMON_RULE_SET_COUNTED = ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericLFI_BODY'] as const;

/** Labels of the counted body rules that are blocked again everywhere except on PASSWORD_PATHS. */
export const BODY_PATTERN_LABELS = ['awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body', 'awswaf:managed:aws:core-rule-set:GenericLFI_Body'] as const;

/** What a client that passed the sign-in rate limit gets, in the API's error shape (WAF cannot know the request id). */
export const RATE_LIMITED_BODY = JSON.stringify({
  status: 429,
  error: 'too_many_requests',
  formError: 'Too many sign-in requests from your network. Please wait a few minutes and try again.',
  fieldErrors: {},
  correlationId: 'waf-rate-limit',
});

/** A path pattern (SIGN_IN_PATHS syntax) as a regex matching the end of a URI path. */
export function pathRegex(path: string): string {
  const optionalSegment = path.endsWith('/*?');
  const base = optionalSegment ? path.slice(0, -'/*?'.length) : path;
  const escaped = base.split('*').map((part) => part.replace(/[.+?^$()|[\]\\{}]/g, '\\$&'));
  return `${escaped.join('[^/]+')}${optionalSegment ? '(/[^/]+)?' : ''}/?$`;
}

/** AWS WAF's limit of regexes in one regex pattern set. */
export const MAX_REGEXES_PER_SET = 10;

/** What the rules of the web ACL read from the stack. */
export interface RuleContext {
  readonly waf: WafSettings;
  /** The regex pattern sets of SIGN_IN_PATHS and PASSWORD_PATHS. */
  readonly signInPathsArn: string;
  readonly passwordPathsArn: string;
  /** `Access-Control-Allow-Origin: *` when every origin is allowed, so a browser app can read the 429. */
  readonly corsHeaders: readonly CfnWebACL.CustomHTTPHeaderProperty[];
}

/**
 * A rule of the web ACL, named as its metrics and logs name it: an AWS
 * managed rule group (with its configuration), or a rule of our own.
 * `enabled` leaves out an optional rule.
 */
export type WafRule = { readonly name: string; readonly enabled?: (waf: WafSettings) => boolean } & (
  | { readonly managedGroup: string; readonly configure?: () => Partial<CfnWebACL.ManagedRuleGroupStatementProperty> }
  | { readonly own: (context: RuleContext) => Pick<CfnWebACL.RuleProperty, 'action' | 'statement'> }
);

const onPath = (arn: string): CfnWebACL.StatementProperty => ({
  regexPatternSetReferenceStatement: { arn, fieldToMatch: { uriPath: {} }, textTransformations: [{ priority: 0, type: 'URL_DECODE' }] },
});

/** The web ACL's rules in evaluation order: a rule's priority is its position here. `Edge` says why each is there. */
export const WAF_RULES: readonly WafRule[] = [
  { name: 'AmazonIpReputationList', managedGroup: 'AWSManagedRulesAmazonIpReputationList' },
  {
    name: 'SignInRateLimit',
    own: ({ waf, signInPathsArn, corsHeaders }) => ({
      action: {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: 'rate-limited',
            responseHeaders: [{ name: 'Retry-After', value: String(waf.rateWindowSeconds) }, { name: 'Cache-Control', value: 'no-store' }, ...corsHeaders],
          },
        },
      },
      statement: {
        rateBasedStatement: {
          limit: waf.signInRateLimit,
          evaluationWindowSec: waf.rateWindowSeconds,
          aggregateKeyType: 'IP',
          scopeDownStatement: onPath(signInPathsArn),
        },
      },
    }),
  },
  { name: 'KnownBadInputs', managedGroup: 'AWSManagedRulesKnownBadInputsRuleSet' },
  {
    name: 'CommonRuleSet',
    managedGroup: 'AWSManagedRulesCommonRuleSet',
    configure: () => ({ ruleActionOverrides: COMMON_RULE_SET_COUNTED.map((name) => ({ name, actionToUse: { count: {} } })) }),
  },
  {
    name: 'BodyPatternsOutsidePasswords',
    own: ({ passwordPathsArn }) => ({
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            { orStatement: { statements: BODY_PATTERN_LABELS.map((key) => ({ labelMatchStatement: { scope: 'LABEL', key } })) } },
            { notStatement: { statement: onPath(passwordPathsArn) } },
          ],
        },
      },
    }),
  },
  {
    name: 'AccountTakeoverPrevention',
    managedGroup: 'AWSManagedRulesATPRuleSet',
    enabled: (waf) => waf.accountTakeoverPrevention,
    configure: () => {
      const loginPath = pathRegex(ATP_LOGIN_PATH);
      return {
        managedRuleGroupConfigs: [
          {
            awsManagedRulesAtpRuleSet: {
              loginPath,
              enableRegexInPath: true,
              requestInspection: { payloadType: 'JSON', usernameField: { identifier: '/email' }, passwordField: { identifier: '/password' } },
            },
          },
        ],
        // Only sign-in attempts are analysed (and billed); nothing else reaches the group.
        scopeDownStatement: {
          andStatement: {
            statements: [
              {
                byteMatchStatement: {
                  fieldToMatch: { method: {} },
                  positionalConstraint: 'EXACTLY',
                  searchString: 'POST',
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
              { regexMatchStatement: { regexString: loginPath, fieldToMatch: { uriPath: {} }, textTransformations: [{ priority: 0, type: 'URL_DECODE' }] } },
            ],
          },
        },
      };
    },
  },
];

/** The managed rule groups every web ACL this stack builds has, in evaluation order. */
export const MANAGED_RULE_GROUPS: readonly string[] = WAF_RULES.flatMap((rule) => ('managedGroup' in rule && !rule.enabled ? [rule.managedGroup] : []));

/** The web ACL's rules for these settings, each publishing metrics and sampled requests as `<metricPrefix>-<rule name>`. */
export function wafRules(metricPrefix: string, context: RuleContext): CfnWebACL.RuleProperty[] {
  return WAF_RULES.flatMap((rule, priority): CfnWebACL.RuleProperty[] => {
    if (rule.enabled && !rule.enabled(context.waf)) return [];
    const visibilityConfig = { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${metricPrefix}-${rule.name}` };
    if ('own' in rule) return [{ name: rule.name, priority, ...rule.own(context), visibilityConfig }];
    return [
      {
        name: rule.name,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: rule.managedGroup, ...rule.configure?.() } },
        visibilityConfig,
      },
    ];
  });
}

export interface EdgeProps {
  /** The API stage the web ACL protects. */
  readonly stage: Stage;
  readonly stageName: string;
  /** An existing REGIONAL web ACL: associated as it is, nothing else is built. */
  readonly webAclArn?: string;
  readonly waf: WafSettings;
  /** `*` lets a browser app read the 429 of the rate rule; a list cannot be echoed by WAF. */
  readonly allowedOrigins: readonly string[];
  readonly logRetention: RetentionDays;
  readonly retainLogs: boolean;
}

/**
 * AWS WAF in front of the API stage.
 *
 * Rules, in order:
 * 0. AWS IP reputation list: known bots and attackers are dropped before anything counts them.
 * 1. Rate per client IP on SIGN_IN_PATHS (`waf.signInRateLimit` per `waf.rateWindowSeconds`): 429 with
 *    `Retry-After`. The functions keep their own per-account back-off and per-IP failure window; this rule
 *    stops floods before they cost argon2 time, Lambda invocations or emails.
 * 2. Known bad inputs (Log4Shell, Java deserialisation, localhost Host headers, ...).
 * 3. Core rule set, with three rules counted instead of blocked:
 *    - `SizeRestrictions_BODY` blocks bodies over 8 KB, but the API accepts up to 16 KiB and answers a
 *      larger body with its own 413 in the documented shape. WAF inspects up to 16 KB of an API Gateway
 *      body (`associationConfig`, the free default), so every body a function accepts is still inspected
 *      in full by the other rules; the rule would only turn some valid requests into a bare 403.
 *    - `CrossSiteScripting_BODY`, `GenericLFI_BODY`: blocked again by rule 4 except on PASSWORD_PATHS.
 * 4. Body patterns outside password fields (label match on the two rules above).
 * 5. Optional (`waf.accountTakeoverPrevention`): AWS WAF Fraud Control account takeover prevention on
 *    POST /login-flow/login, reading the JSON fields `email` and `password`.
 *
 * Every rule publishes CloudWatch metrics and sampled requests. Requests WAF blocks or counts are logged
 * to the `aws-waf-logs-loginbridge-<stage>` log group (allowed requests are not: the API access log has
 * them), with the Authorization header and the query string redacted.
 *
 * With `webAclArn` only the association is made: that web ACL is its owner's.
 * With `waf.enabled` false nothing is built (cdk-nag's WAF finding is acknowledged for that stage).
 */
export class Edge extends Construct {
  public readonly webAclArn?: string;
  public readonly webAcl?: CfnWebACL;
  public readonly association?: CfnWebACLAssociation;
  public readonly logs?: LogGroup;
  /** The name CloudWatch metrics of this web ACL carry in the `WebACL` dimension. */
  public readonly metricName?: string;
  public readonly signInPaths?: CfnRegexPatternSet;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    if (props.webAclArn && props.waf.accountTakeoverPrevention)
      throw new Error('Edge: accountTakeoverPrevention configures the web ACL this stack builds; it cannot change an imported one.');
    if (props.webAclArn && !props.waf.enabled) throw new Error('Edge: webAclArn and waf.enabled=false contradict each other.');

    if (props.webAclArn) {
      this.webAclArn = props.webAclArn;
      this.association = new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: props.webAclArn });
      return;
    }
    if (!props.waf.enabled) {
      Validations.of(props.stage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'waf.enabled=false for this stage (a web ACL costs a monthly fee plus a fee per rule); brute force is still limited in the functions (per-account back-off, per-IP window) and by API Gateway method throttling.',
      });
      return;
    }

    const prefix = `loginbridge-${props.stageName}`;
    this.metricName = prefix;
    this.signInPaths = new CfnRegexPatternSet(this, 'SignInPaths', {
      name: `${prefix}-sign-in-paths`,
      scope: 'REGIONAL',
      description: 'LoginBridge sign-in paths, matched at the end of the URI path, for the per-IP rate rule',
      regularExpressionList: SIGN_IN_PATHS.map(pathRegex),
    });
    const passwordPaths = new CfnRegexPatternSet(this, 'PasswordPaths', {
      name: `${prefix}-password-paths`,
      scope: 'REGIONAL',
      description: 'LoginBridge paths whose body carries a password',
      regularExpressionList: PASSWORD_PATHS.map(pathRegex),
    });

    const rules = wafRules(prefix, {
      waf: props.waf,
      signInPathsArn: this.signInPaths.attrArn,
      passwordPathsArn: passwordPaths.attrArn,
      corsHeaders: props.allowedOrigins.includes('*') ? [{ name: 'Access-Control-Allow-Origin', value: '*' }] : [],
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: prefix,
      scope: 'REGIONAL',
      description: `LoginBridge ${props.stageName}: managed rules, sign-in rate limit per IP`,
      defaultAction: { allow: {} },
      // The web ACL's metric name is its name too, so the `WebACL` metric dimension reads the same either way.
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: prefix },
      customResponseBodies: { 'rate-limited': { contentType: 'APPLICATION_JSON', content: RATE_LIMITED_BODY } },
      // 16 KB is the free default for API Gateway; said here because the SizeRestrictions_BODY override relies on it.
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_16' } } },
      rules,
    });
    this.webAclArn = this.webAcl.attrArn;
    this.association = new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stage.stageArn, webAclArn: this.webAcl.attrArn });

    // WAF delivers logs only to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${prefix}`;
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group ARN without the trailing `:*` that LogGroup.logGroupArn carries.
      logDestinationConfigs: [
        Arn.format({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this)),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { queryString: {} }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [
              { ActionCondition: { Action: 'BLOCK' } },
              { ActionCondition: { Action: 'COUNT' } },
              { ActionCondition: { Action: 'EXCLUDED_AS_COUNT' } },
            ],
          },
        ],
      },
    });
    logging.node.addDependency(this.logs);
  }
}
