import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { settingsSchema } from '../lambdas/config';
import { brandSchema } from '../lambdas/core/branding';
import { PARTNER_SECRETS, SIGN_IN_PROVIDER_SECRETS } from '../lambdas/core/partners';
import { type PartnerSecret, ROUTES } from '../lambdas/routes';

/** The cdk.json context block that holds the configuration. */
export const CONTEXT_KEY = 'loginbridge';

/** Every partner secret the stack knows (the partner registry, lambdas/core/partners.ts); each is created empty or imported. */
export { PARTNER_SECRETS };

/** The partners with a failure-rate alarm: the sign-in providers are not called per request (their key sets are fetched), so a failure there is a 503, not a partner alarm. */
export const ALARMED_PARTNERS: readonly PartnerSecret[] = PARTNER_SECRETS.filter(
  (partner) => !(SIGN_IN_PROVIDER_SECRETS as readonly string[]).includes(partner),
);

/** Stages whose data outlives the stack unless told otherwise. */
export const PRODUCTION_STAGES: readonly string[] = ['prod', 'production'];

/**
 * Handler settings the stack derives from typed configuration keys; setting
 * them again under `handlerSettings` would give two sources for one value.
 */
export const DERIVED_HANDLER_SETTINGS: Readonly<Record<string, string>> = {
  PUBLIC_BASE_URL: 'publicBaseUrl',
  TOKEN_ISSUER: 'tokenIssuer',
  TOKEN_AUDIENCE: 'tokenAudience',
  ACCESS_TOKEN_TTL_SECONDS: 'accessTokenTtlSeconds',
  REFRESH_ABSOLUTE_TTL_SECONDS: 'refreshAbsoluteTtlDays',
  REFRESH_IDLE_TTL_SECONDS: 'refreshIdleTtlDays',
  TERMS_REQUIRED: 'termsRequired',
  ALLOWED_ORIGINS: 'allowedOrigins',
  LOGIN_PAGE_FRAME_ANCESTORS: 'loginPageFrameAncestors',
  LEGACY_LOGIN_URL: 'legacyLoginUrl',
  LEGACY_PROFILE_URL: 'legacyProfileUrl',
  BRAND_JSON: 'branding',
};

/** A configuration value that cannot work; the message names every offending key. */
export class StackConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackConfigurationError';
  }
}

const RETENTION_DAYS = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

/** `-c key=value` always arrives as a string: turn the usual spellings into what the schema expects. */
const fromFlag = (target: 'number' | 'boolean' | 'json') => (value: unknown) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (target === 'number') return text === '' ? value : Number(text);
  if (target === 'boolean') return text === 'true' ? true : text === 'false' ? false : value;
  return text.startsWith('{') || text.startsWith('[') ? safeJson(text) : value;
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const int = (min: number, max: number) => z.preprocess(fromFlag('number'), z.number().int().min(min).max(max));
const bool = () => z.preprocess(fromFlag('boolean'), z.boolean());

const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.origin === value;
  } catch {
    return false;
  }
}, 'each origin must be "*" or a bare origin such as https://app.example.com (scheme, host, optional port; no path or trailing slash)');

const allowedOrigins = z.preprocess(
  (value) => (typeof value === 'string' && !value.trim().startsWith('[') ? value.split(',').map((part) => part.trim()) : fromFlag('json')(value)),
  z
    .array(origin)
    .min(1)
    .refine((list) => !list.includes('*') || list.length === 1, '"*" allows every origin and cannot be combined with other origins'),
);

/**
 * Who may frame the login page (CSP frame-ancestors): Astrato's and the
 * customer portal's origins, e.g. `["'self'", "https://app.astrato.io",
 * "https://portal.example.com"]`, or the same as one comma/space-separated
 * string (`-c loginPageFrameAncestors=...`). Checked by the handlers' own rule.
 */
const frameAncestorList = z.preprocess(
  (value) => (typeof value === 'string' && !value.trim().startsWith('[') ? value.split(/[\s,]+/).filter(Boolean) : fromFlag('json')(value)),
  z.array(z.string().min(1)).min(1),
);

/**
 * A partner secret: `"create"` makes an empty secret (filled later with
 * `aws secretsmanager put-secret-value`); `{ "import": "<name or complete ARN>" }`
 * uses one that already exists. From `-c partnerSecrets.astrato=...` any
 * string other than `create` is taken as the name or ARN to import.
 */
const partnerSecretSource = z.preprocess(
  (value) => (typeof value === 'string' && value !== 'create' ? { import: value } : value),
  z.union([
    z.literal('create'),
    z.strictObject({
      import: z
        .string()
        .min(1)
        .refine(
          (value) => !value.startsWith('arn:') || /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(value),
          'an ARN must be the complete secret ARN, ending in the six-character suffix Secrets Manager adds (or give the secret name instead)',
        )
        .refine((value) => value.startsWith('arn:') || /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value), 'not a valid secret name'),
    }),
  ]),
);

export type PartnerSecretSource = z.infer<typeof partnerSecretSource>;

const partnerSecrets = z.preprocess(
  fromFlag('json'),
  z
    .strictObject(
      Object.fromEntries(PARTNER_SECRETS.map((partner) => [partner, partnerSecretSource.default('create')])) as Record<
        PartnerSecret,
        z.ZodDefault<typeof partnerSecretSource>
      >,
    )
    .default(Object.fromEntries(PARTNER_SECRETS.map((partner) => [partner, 'create'])) as Record<PartnerSecret, 'create'>),
);

/** API Gateway throttling: steady requests per second and burst; the burst must cover the rate. */
const throttle = z
  .strictObject({ rateLimit: int(1, 10_000), burstLimit: int(1, 5_000) })
  .refine((value) => value.burstLimit >= value.rateLimit, { path: ['burstLimit'], message: 'must be at least rateLimit' });

export type RouteThrottle = z.infer<typeof throttle>;

/**
 * Method throttling per route (`METHOD path` of `lambdas/routes.ts`, the
 * row's `throttle`): the
 * routes that check a password or mint codes get less than the stage default
 * (they cost argon2 time, emails or stored codes, and a flood on them is an
 * attack, not traffic); the public key set, the OpenAPI document and the
 * OAuth metadata get more (verifiers and tools fetch them, and they cost
 * next to nothing). These limits are for the whole stage, all clients
 * together: per-client limits are the WAF rate rule's job.
 */
export const DEFAULT_ROUTE_THROTTLING: Readonly<Record<string, RouteThrottle>> = Object.fromEntries(
  ROUTES.flatMap((route) => (route.throttle ? [[`${route.method} ${route.path}`, { ...route.throttle }] as const] : [])),
);

const ROUTE_KEYS = ROUTES.map((route) => `${route.method} ${route.path}`);

/** Overrides per route, merged over DEFAULT_ROUTE_THROTTLING; keys must name a row of ROUTES. */
const routeThrottling = z.preprocess(
  fromFlag('json'),
  z
    .record(z.string(), throttle)
    .default({})
    .superRefine((values, ctx) => {
      for (const key of Object.keys(values)) {
        if (!ROUTE_KEYS.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'not a route; use "METHOD /path" exactly as in lambdas/routes.ts, e.g. "POST /login-flow/login"',
          });
      }
    })
    .transform((values): Record<string, RouteThrottle> => ({ ...DEFAULT_ROUTE_THROTTLING, ...values })),
);

/** WAF rate-based rules count per evaluation window; AWS offers exactly these windows. */
export const WAF_RATE_WINDOWS = [60, 120, 300, 600] as const;

/** The web ACL the stack builds when no `wafWebAclArn` is given. */
export const DEFAULT_WAF = {
  enabled: true,
  /** Requests per client IP per window to the sign-in paths; above it the IP gets 429 until its rate drops. */
  signInRateLimit: 300,
  rateWindowSeconds: 300,
  /** AWS WAF Fraud Control account takeover prevention on POST /login-flow/login (paid per login attempt analysed). */
  accountTakeoverPrevention: false,
} as const;

const waf = z.preprocess(
  fromFlag('json'),
  z
    .strictObject({
      enabled: bool().default(DEFAULT_WAF.enabled),
      signInRateLimit: int(10, 2_000_000_000).default(DEFAULT_WAF.signInRateLimit),
      rateWindowSeconds: z
        .preprocess(
          fromFlag('number'),
          z.number().refine((value) => (WAF_RATE_WINDOWS as readonly number[]).includes(value), `one of ${WAF_RATE_WINDOWS.join(', ')}`),
        )
        .default(DEFAULT_WAF.rateWindowSeconds),
      accountTakeoverPrevention: bool().default(DEFAULT_WAF.accountTakeoverPrevention),
    })
    .default({ ...DEFAULT_WAF }),
);

/** Alarm thresholds; each alarm looks at 5-minute periods (see docs/operations.md for what each means). */
export const DEFAULT_ALARMS = {
  /** Percent of API requests answered 5xx (gateway or function) in 5 minutes... */
  api5xxRatePercent: 1,
  /** ...counted only when at least this many requests came in those 5 minutes. */
  api5xxMinRequests: 20,
  /** Unhandled function errors (crashes, timeouts) per function in 5 minutes. */
  functionErrors: 1,
  /** Throttled invocations per function in 5 minutes. */
  functionThrottles: 1,
  /** Read + write throttle events of the table in 5 minutes. */
  tableThrottles: 5,
  /** DynamoDB system errors (HTTP 500 from DynamoDB) in 5 minutes. */
  tableSystemErrors: 1,
  /** RefreshReuseDetected in 5 minutes: stolen or replayed refresh tokens, or a client that races its refreshes. */
  refreshReuse: 10,
  /** SignInDelayed (attempts refused by the back-off) in 5 minutes: password guessing. */
  signInDelayed: 50,
  /** PasskeyCloneDetected in 5 minutes: a passkey whose signature counter went backwards was refused; one is worth a look. */
  passkeyClones: 1,
  /** Percent of a partner's calls that failed in 5 minutes... */
  partnerFailureRatePercent: 10,
  /** ...counted only from this many failures up. */
  partnerMinFailures: 5,
} as const;

const alarms = z.preprocess(
  fromFlag('json'),
  z
    .strictObject({
      api5xxRatePercent: z.preprocess(fromFlag('number'), z.number().gt(0).max(100)).default(DEFAULT_ALARMS.api5xxRatePercent),
      api5xxMinRequests: int(1, 1_000_000).default(DEFAULT_ALARMS.api5xxMinRequests),
      functionErrors: int(1, 1_000_000).default(DEFAULT_ALARMS.functionErrors),
      functionThrottles: int(1, 1_000_000).default(DEFAULT_ALARMS.functionThrottles),
      tableThrottles: int(1, 1_000_000).default(DEFAULT_ALARMS.tableThrottles),
      tableSystemErrors: int(1, 1_000_000).default(DEFAULT_ALARMS.tableSystemErrors),
      refreshReuse: int(1, 1_000_000).default(DEFAULT_ALARMS.refreshReuse),
      signInDelayed: int(1, 1_000_000).default(DEFAULT_ALARMS.signInDelayed),
      passkeyClones: int(1, 1_000_000).default(DEFAULT_ALARMS.passkeyClones),
      partnerFailureRatePercent: z.preprocess(fromFlag('number'), z.number().gt(0).max(100)).default(DEFAULT_ALARMS.partnerFailureRatePercent),
      partnerMinFailures: int(1, 1_000_000).default(DEFAULT_ALARMS.partnerMinFailures),
    })
    .default({ ...DEFAULT_ALARMS }),
);

export type AlarmThresholds = z.infer<typeof alarms>;
export type WafSettings = z.infer<typeof waf>;

const settingKeys = Object.keys(settingsSchema.shape);

/** Extra handler settings, checked key by key against the handlers' own schema (`lambdas/config.ts`). */
const handlerSettings = z.preprocess(
  fromFlag('json'),
  z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .default({})
    .superRefine((values, ctx) => {
      for (const [key, value] of Object.entries(values)) {
        if (DERIVED_HANDLER_SETTINGS[key]) {
          ctx.addIssue({ code: 'custom', path: [key], message: `set "${DERIVED_HANDLER_SETTINGS[key]}" instead; the stack derives ${key} from it` });
          continue;
        }
        if (!settingKeys.includes(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `not a handler setting; known settings: ${settingKeys.filter((name) => !DERIVED_HANDLER_SETTINGS[name]).join(', ')}`,
          });
          continue;
        }
        // The handlers see strings (environment variables): validate exactly that.
        const field = settingsSchema.shape[key as keyof typeof settingsSchema.shape] as z.ZodType;
        const parsed = field.safeParse(String(value));
        if (!parsed.success) ctx.addIssue({ code: 'custom', path: [key], message: parsed.error.issues.map((issue) => issue.message).join('; ') });
      }
    })
    .transform((values) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]))),
);

/** A DNS name such as login.example.com: labels of letters, digits and hyphens, no scheme, no trailing dot. */
const hostname = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lower-case DNS name such as login.example.com (no scheme, path or trailing dot)',
  );

/**
 * The API's own domain, built in the stack (visible to `cdk diff`, removed by
 * `cdk destroy`): an API Gateway regional domain name with the ACM
 * certificate (same region as the stack), the base path mapping to the
 * stage, and a Route 53 alias when the hosted zone is given (without it,
 * point a CNAME at the `CustomDomainTarget` output). publicBaseUrl, the token
 * issuer and every page link follow it.
 */
const customDomain = z.preprocess(
  fromFlag('json'),
  z.strictObject({
    domainName: hostname,
    certificateArn: z
      .string()
      .regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "an ACM certificate ARN (in the stack's region) covering domainName"),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
      .optional(),
  }),
);

export type CustomDomainSettings = z.infer<typeof customDomain>;

/** Hosts cdk.json ships as placeholders (RFC 2606); a production stage must not deploy with them. */
const PLACEHOLDER_HOST = /(^|\.)example\.(com|net|org)$/i;

const hostOf = (value: string): string => {
  const at = value.lastIndexOf('@');
  if (at >= 0) return value.slice(at + 1);
  try {
    return new URL(value).hostname;
  } catch {
    return value;
  }
};

/** The stack's configuration: cdk.json context `loginbridge`, each key overridable with `-c loginbridge.key=value`. */
export const configSchema = z
  .strictObject({
    /** Deployment stage: names the stack, the API stage and the partner secrets. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and hyphens, starting with a letter, at most 20 characters')
      .default('dev'),
    /** Where users reach the API (custom domain or the execute-api stage URL): links in emails, the token issuer. */
    publicBaseUrl: z
      .url()
      .refine((value) => value.startsWith('https://'), 'must be an https:// URL')
      .optional(),
    /** The API's own domain, built in the stack; publicBaseUrl defaults to https://<domainName>. */
    customDomain: customDomain.optional(),
    /**
     * Create the account's API Gateway CloudWatch role (AWS::ApiGateway::Account, needed for execution
     * logs). One per account and region: the second stage in the same account and region sets false.
     */
    apiGatewayCloudWatchRole: bool().default(true),
    allowedOrigins: allowedOrigins.default(['*']),
    /** Origins that may frame GET /login (Astrato, the customer portal); default: the page's own origin only. */
    loginPageFrameAncestors: frameAncestorList.optional(),
    /**
     * The platform's brand on every page and email (docs/configuration.md): productName, logoUrl, primaryColor,
     * accentColor (#rrggbb), supportUrl or supportEmail, termsUrl, privacyUrl; an object, or its JSON (`-c branding=...`).
     */
    branding: z.preprocess(fromFlag('json'), brandSchema).optional(),
    tokenAudience: z.string().min(1).default('loginbridge'),
    /** Defaults to publicBaseUrl. */
    tokenIssuer: z.url().optional(),
    accessTokenTtlSeconds: int(60, 24 * 60 * 60).default(900),
    refreshAbsoluteTtlDays: int(1, 365).default(30),
    refreshIdleTtlDays: int(1, 365).default(7),
    termsRequired: bool().default(false),
    /** The SES identity mails come from (an address, or an address of a verified domain). */
    senderEmail: z.email(),
    sesConfigurationSet: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, hyphens and underscores, at most 64 characters')
      .optional(),
    signingKeyRotationDays: int(1, 365).default(30),
    /** Keep the table and secrets when the stack is deleted; always on for production stages. */
    retainData: bool().optional(),
    throttling: z.preprocess(
      fromFlag('json'),
      z.strictObject({ rateLimit: int(1, 10_000).default(100), burstLimit: int(1, 5_000).default(200) }).default({ rateLimit: 100, burstLimit: 200 }),
    ),
    logRetentionDays: z
      .preprocess(
        fromFlag('number'),
        z.number().refine((days) => RETENTION_DAYS.includes(days), `one of ${RETENTION_DAYS.join(', ')}`),
      )
      .default(90),
    /** X-Ray tracing for the API stage and every function. */
    tracing: bool().default(false),
    /** An existing WAFv2 web ACL (REGIONAL scope) to put in front of the API stage. */
    wafWebAclArn: z
      .string()
      .regex(/^arn:aws[\w-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'a REGIONAL WAFv2 web ACL ARN')
      .optional(),
    /** The web ACL the stack builds (when wafWebAclArn is not set): rate limit on the sign-in paths, account takeover prevention. */
    waf,
    /** API Gateway method throttling per route, over DEFAULT_ROUTE_THROTTLING. */
    routeThrottling,
    /** Who gets the alarm emails (an SNS email subscription; confirm the mail AWS sends). */
    alarmEmail: z.email().optional(),
    alarms,
    partnerSecrets,
    handlerSettings,
    /** Lazy migration: the old provider's Login Flow login endpoint; unset, no sign-in is forwarded (docs/migration.md). */
    legacyLoginUrl: z
      .url()
      .refine((value) => value.startsWith('https://'), 'must be an https:// URL')
      .optional(),
    /** Optional: the old provider's profile endpoint (Bearer legacy access token), to fill names at migration. */
    legacyProfileUrl: z
      .url()
      .refine((value) => value.startsWith('https://'), 'must be an https:// URL')
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.publicBaseUrl && !config.customDomain) {
      ctx.addIssue({ code: 'custom', path: ['publicBaseUrl'], message: 'required (or give customDomain, and it becomes https://<domainName>)' });
    }
    if (config.publicBaseUrl && config.customDomain && new URL(config.publicBaseUrl).hostname !== config.customDomain.domainName) {
      ctx.addIssue({
        code: 'custom',
        path: ['publicBaseUrl'],
        message: `names ${new URL(config.publicBaseUrl).hostname}, but customDomain.domainName is ${config.customDomain.domainName}; leave publicBaseUrl out to derive it`,
      });
    }
    if (PRODUCTION_STAGES.includes(config.stage)) {
      const placeholders: [string, string | undefined][] = [
        ['publicBaseUrl', config.publicBaseUrl],
        ['tokenIssuer', config.tokenIssuer],
        ['senderEmail', config.senderEmail],
        ['customDomain.domainName', config.customDomain?.domainName],
      ];
      for (const [key, value] of placeholders) {
        if (value !== undefined && PLACEHOLDER_HOST.test(hostOf(value))) {
          ctx.addIssue({
            code: 'custom',
            path: key.split('.'),
            message: `"${value}" is the placeholder cdk.json ships; a production stage (${config.stage}) needs the real value (cdk.json loginbridge.stages.${config.stage}.${key.split('.')[0]} or -c loginbridge.${key}=...)`,
          });
        }
      }
    }
    if (config.refreshIdleTtlDays > config.refreshAbsoluteTtlDays) {
      ctx.addIssue({ code: 'custom', path: ['refreshIdleTtlDays'], message: `cannot exceed refreshAbsoluteTtlDays (${config.refreshAbsoluteTtlDays})` });
    }
    if (config.wafWebAclArn && !config.waf.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['waf', 'enabled'],
        message: 'wafWebAclArn puts a web ACL in front of the stage; waf.enabled=false cannot also ask for none',
      });
    }
    if (config.wafWebAclArn && config.waf.accountTakeoverPrevention) {
      ctx.addIssue({
        code: 'custom',
        path: ['waf', 'accountTakeoverPrevention'],
        message: 'configures the web ACL this stack builds; with wafWebAclArn, add AWSManagedRulesATPRuleSet to that web ACL instead',
      });
    }
    if (!config.waf.enabled && config.waf.accountTakeoverPrevention) {
      ctx.addIssue({ code: 'custom', path: ['waf', 'accountTakeoverPrevention'], message: 'needs the web ACL (waf.enabled)' });
    }
    if (config.throttling.burstLimit < config.throttling.rateLimit) {
      ctx.addIssue({ code: 'custom', path: ['throttling', 'burstLimit'], message: `must be at least throttling.rateLimit (${config.throttling.rateLimit})` });
    }
  });

type ParsedConfig = z.infer<typeof configSchema>;

/** Validated configuration plus the values derived from it. */
export interface StackConfig extends Omit<ParsedConfig, 'publicBaseUrl'> {
  /** Given, or https://<customDomain.domainName>. */
  readonly publicBaseUrl: string;
  /** Retain the table and secrets, protect the table from deletion. */
  readonly production: boolean;
  /** Environment every function gets, already validated against the handlers' schema. */
  readonly handlerEnvironment: Readonly<Record<string, string>>;
}

const DAY = 24 * 60 * 60;

/** Parses raw configuration; throws a StackConfigurationError naming each bad key. */
export function parseConfig(raw: unknown): StackConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new StackConfigurationError(describeIssues(parsed.error.issues));
  const config = { ...parsed.data, publicBaseUrl: parsed.data.publicBaseUrl ?? `https://${parsed.data.customDomain?.domainName}` };
  const handlerEnvironment: Record<string, string> = {
    PUBLIC_BASE_URL: config.publicBaseUrl,
    TOKEN_AUDIENCE: config.tokenAudience,
    ...(config.tokenIssuer ? { TOKEN_ISSUER: config.tokenIssuer } : {}),
    ACCESS_TOKEN_TTL_SECONDS: String(config.accessTokenTtlSeconds),
    REFRESH_ABSOLUTE_TTL_SECONDS: String(config.refreshAbsoluteTtlDays * DAY),
    REFRESH_IDLE_TTL_SECONDS: String(config.refreshIdleTtlDays * DAY),
    TERMS_REQUIRED: String(config.termsRequired),
    ALLOWED_ORIGINS: config.allowedOrigins.join(','),
    ...(config.loginPageFrameAncestors ? { LOGIN_PAGE_FRAME_ANCESTORS: config.loginPageFrameAncestors.join(' ') } : {}),
    ...(config.legacyLoginUrl ? { LEGACY_LOGIN_URL: config.legacyLoginUrl } : {}),
    ...(config.legacyProfileUrl ? { LEGACY_PROFILE_URL: config.legacyProfileUrl } : {}),
    ...(config.branding ? { BRAND_JSON: JSON.stringify(config.branding) } : {}),
    ...config.handlerSettings,
  };
  // The handlers validate the same variables at cold start; failing here keeps a bad value out of a deployment.
  const check = settingsSchema.safeParse(handlerEnvironment);
  if (!check.success) {
    throw new StackConfigurationError(
      describeIssues(
        check.error.issues.map((issue) => ({
          ...issue,
          path: [DERIVED_HANDLER_SETTINGS[String(issue.path[0])] ?? `handlerSettings.${String(issue.path[0])}`],
        })),
      ),
    );
  }
  return {
    ...config,
    production: PRODUCTION_STAGES.includes(config.stage) || config.retainData === true,
    handlerEnvironment,
  };
}

/** Settings whose value is an object of defaults (give only the fields to change), the rest as parsed. */
type Settable<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends Record<string, unknown> ? Partial<T[K]> : T[K];
};

/**
 * The settings a host app passes to the LoginBridge construct: the keys of
 * the `loginbridge` context block, as typed values. Only senderEmail and
 * publicBaseUrl (or customDomain) are required.
 */
export type LoginBridgeSettings = Settable<ParsedConfig> & Pick<ParsedConfig, 'senderEmail'>;

/** Where a stage deploys: its AWS account and region (cdk.json `loginbridge.stages.<stage>`). */
const stageTarget = z.strictObject({
  account: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit AWS account id')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
    .optional(),
});

/** One stage of this repository's app, ready to build. */
export interface StageDeployment {
  readonly stage: string;
  /** From the stage's entry, else the CLI's (CDK_DEFAULT_ACCOUNT/REGION); unset, the stack is environment-agnostic. */
  readonly account?: string;
  readonly region?: string;
  /** The merged settings, as the construct takes them (validated again there). */
  readonly settings: LoginBridgeSettings;
  readonly config: StackConfig;
}

/** Every key the `loginbridge` block may hold. */
export const CONFIG_KEYS: readonly string[] = [...Object.keys(configSchema.shape), 'stages'];

/**
 * The stage an app deploys, from its context: the `loginbridge` block of
 * cdk.json, the entry of its `stages` map named by `stage` (account, region
 * and the settings that differ per stage) over it, and
 * `-c loginbridge.key=value` / `-c loginbridge.key.sub=value` flags over
 * both. Every LoginBridge setting lives under the one `loginbridge` key, so
 * a host's own context never clashes with it; an unknown key under it (a
 * misspelled flag included) is refused with the list of known keys, and a
 * setting given at the top level (`-c stage=prod`) is refused with the
 * spelling that works.
 */
export function loadStage(scope: Construct): StageDeployment {
  const context = scope.node.getAllContext() as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(context)) {
    if (CONFIG_KEYS.includes(key.split('.')[0]))
      problems.push(`  - ${key}: LoginBridge settings live under "${CONTEXT_KEY}"; pass -c ${CONTEXT_KEY}.${key}=...`);
  }
  const block = asObject(context[CONTEXT_KEY], CONTEXT_KEY);
  const flags = Object.entries(context)
    .filter(([key]) => key.startsWith(`${CONTEXT_KEY}.`))
    .map(([key, value]) => ({ path: key.slice(CONTEXT_KEY.length + 1).split('.'), value }));
  for (const { path } of flags) {
    if (!CONFIG_KEYS.includes(path[0])) problems.push(`  - ${CONTEXT_KEY}.${path.join('.')}: not a configuration key; known keys: ${CONFIG_KEYS.join(', ')}`);
  }
  if (problems.length) throw new StackConfigurationError(`Invalid LoginBridge configuration (-c flags):\n${problems.join('\n')}`);

  const { stages: rawStages, ...base } = block;
  const stages = asObject(rawStages, `${CONTEXT_KEY}.stages`);
  for (const { path, value } of flags.filter((flag) => flag.path[0] === 'stages')) setPath(stages, path.slice(1), value);
  const stageFlag = flags.find((flag) => flag.path.length === 1 && flag.path[0] === 'stage');
  const stage = String(stageFlag?.value ?? base.stage ?? 'dev');
  // A stage the map does not list (other than the block's own default) is most likely a typo of one it does.
  if (Object.keys(stages).length && !(stage in stages) && stage !== String(base.stage ?? 'dev')) {
    throw new StackConfigurationError(
      `Invalid LoginBridge configuration:\n  - stage: "${stage}" is not in ${CONTEXT_KEY}.stages (known stages: ${[String(base.stage ?? 'dev'), ...Object.keys(stages)].join(', ')})`,
    );
  }
  const { account, region, ...stageSettings } = asObject(stages[stage], `${CONTEXT_KEY}.stages.${stage}`);
  const target = stageTarget.safeParse({ account, region });
  if (!target.success) {
    throw new StackConfigurationError(describeIssues(target.error.issues.map((issue) => ({ ...issue, path: ['stages', stage, ...issue.path] }))));
  }
  const merged: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(stageSettings)) merged[key] = mergeOneLevel(merged[key], value);
  for (const { path, value } of flags.filter((flag) => flag.path[0] !== 'stages')) setPath(merged, path, value);
  merged.stage = stage;
  return {
    stage,
    account: target.data.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: target.data.region ?? process.env.CDK_DEFAULT_REGION,
    settings: merged as unknown as LoginBridgeSettings,
    config: parseConfig(merged),
  };
}

/** The validated configuration of the stage an app deploys (see loadStage). */
export function loadConfig(scope: Construct): StackConfig {
  return loadStage(scope).config;
}

function asObject(value: unknown, name: string): Record<string, unknown> {
  const parsed = typeof value === 'string' ? safeJson(value) : (value ?? {});
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StackConfigurationError(`Invalid LoginBridge configuration: context "${name}" must be an object.`);
  }
  return structuredClone(parsed as Record<string, unknown>);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stage's object-valued setting (waf, alarms, ...) changes only the fields it names. */
function mergeOneLevel(base: unknown, over: unknown): unknown {
  const from = fromFlag('json')(base);
  const to = fromFlag('json')(over);
  return isPlainObject(from) && isPlainObject(to) ? { ...from, ...to } : over;
}

/** Sets `path` inside `target`, turning JSON strings on the way (`-c loginbridge.waf={...}`) into objects. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (!rest.length) {
    target[head] = value;
    return;
  }
  const current = fromFlag('json')(target[head]);
  const child = isPlainObject(current) ? { ...current } : {};
  setPath(child, rest, value);
  target[head] = child;
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[]): string {
  const lines = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? issue.keys.map(
          (key) =>
            `  - ${[...issue.path.map(String), key].join('.')}: not a configuration key${issue.path.length ? '' : `; known keys: ${CONFIG_KEYS.join(', ')}`}`,
        )
      : [`  - ${issue.path.map(String).join('.') || CONTEXT_KEY}: ${issue.message}`],
  );
  return `Invalid LoginBridge configuration (cdk.json context "${CONTEXT_KEY}" or -c ${CONTEXT_KEY}.key=value):\n${lines.join('\n')}`;
}
