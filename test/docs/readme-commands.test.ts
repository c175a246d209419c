import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_KEYS, CONTEXT_KEY } from '../../lib/config';

const ROOT = join(__dirname, '..', '..');
const DOCS = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(ROOT, 'docs', name)),
];
const SCRIPTS = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The subcommands of the pinned aws-cdk CLI (`npx cdk --help`, 2.1148.1). */
const CDK_SUBCOMMANDS = [
  'list',
  'ls',
  'synth',
  'synthesize',
  'bootstrap',
  'gc',
  'flags',
  'deploy',
  'validate',
  'diagnose',
  'rollback',
  'publish-assets',
  'import',
  'watch',
  'destroy',
  'diff',
  'drift',
  'metadata',
  'acknowledge',
  'ack',
  'notices',
  'init',
  'migrate',
  'context',
  'docs',
  'doc',
  'doctor',
  'explore',
  'refactor',
  'orphan',
];

/** `aws <service> <command>` pairs the docs may show; each is a real AWS CLI v2 command. Add one here only after checking `aws <service> help`. */
const AWS_COMMANDS: Record<string, readonly string[]> = {
  acm: ['request-certificate', 'describe-certificate'],
  apigateway: ['create-domain-name', 'create-base-path-mapping', 'get-domain-name', 'get-stages'],
  cloudformation: ['describe-stacks', 'describe-stack-events', 'update-termination-protection'],
  dynamodb: [
    'restore-table-to-point-in-time',
    'describe-continuous-backups',
    'update-continuous-backups',
    'describe-table',
    'update-table',
    'update-item',
    'put-item',
    'get-item',
    'query',
    'scan',
    'batch-write-item',
    'delete-table',
    'wait',
    'export-table-to-point-in-time',
    'update-time-to-live',
  ],
  lambda: ['get-account-settings', 'invoke'],
  logs: ['tail', 'filter-log-events'],
  secretsmanager: ['put-secret-value', 'rotate-secret', 'get-secret-value', 'describe-secret', 'list-secret-version-ids', 'create-secret'],
  sesv2: ['create-email-identity', 'get-email-identity', 'put-account-details', 'get-account'],
  sns: ['subscribe', 'list-subscriptions-by-topic'],
  sts: ['get-caller-identity'],
  wafv2: ['get-web-acl', 'get-sampled-requests', 'list-web-acls'],
};

/** Top-level entries of the repository a path in the docs may start with. */
const REPO_DIRS = ['bin', 'lib', 'lambdas', 'local', 'test', 'scripts', 'reliability', 'bench', 'docs', '.ci'];

interface Snippet {
  file: string;
  text: string;
}

const relativeName = (file: string) => relative(ROOT, file);

/** Fenced code blocks (indented fences inside list items too), with `\`-continued lines joined. */
function codeBlocks(file: string): Snippet[] {
  const text = readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/^[ \t]*```[^\n]*\n([\s\S]*?)^[ \t]*```/gm)].map((match) => match[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean)
      .map((line) => ({ file: relativeName(file), text: line })),
  );
}

/** Inline code spans of the prose (outside fenced blocks). */
function inlineCode(file: string): Snippet[] {
  const prose = readFileSync(file, 'utf8').replace(/^[ \t]*```[^\n]*\n[\s\S]*?^[ \t]*```/gm, '');
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => ({ file: relativeName(file), text: match[1].trim() }));
}

const commands = (): Snippet[] => DOCS.flatMap((file) => [...codeBlocks(file), ...inlineCode(file).filter((span) => /^(npm |npx |aws |cdk )/.test(span.text))]);

const found = <T>(snippets: Snippet[], pattern: RegExp, pick: (match: RegExpMatchArray) => T) =>
  snippets.flatMap((snippet) => [...snippet.text.matchAll(pattern)].map((match) => ({ ...snippet, value: pick(match) })));

describe('Commands shown in the README and docs/', () => {
  const shown = commands();

  it('finds the docs and their commands', () => {
    // Assess
    expect(DOCS.map(relativeName)).toEqual(expect.arrayContaining(['README.md', 'docs/operations.md', 'docs/security.md']));
    expect(shown.length).toBeGreaterThan(20);
  });

  it('runs only npm scripts that package.json has', () => {
    // Act
    const runs = found(shown, /\bnpm run ([\w:.-]+)/g, (match) => match[1]);

    // Assess
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((run) => !SCRIPTS.includes(run.value)).map((run) => `${run.file}: npm run ${run.value}`)).toEqual([]);
  });

  it('uses only real cdk subcommands', () => {
    // Act
    const subcommands = found(shown, /(?:\bnpx cdk|\bnpm run cdk --|(?:^|[;&|]\s*)cdk)\s+([a-z][\w-]*)/g, (match) => match[1]);

    // Assess
    expect(subcommands.map((found) => found.value)).toEqual(expect.arrayContaining(['bootstrap', 'deploy', 'diff']));
    expect(subcommands.filter((found) => !CDK_SUBCOMMANDS.includes(found.value)).map((found) => `${found.file}: cdk ${found.value}`)).toEqual([]);
  });

  it('passes only configuration keys lib/config.ts knows with -c, under loginbridge.', () => {
    // Prepare
    const cdkLines = shown.filter((snippet) => /\b(npx cdk|npm run (synth|cdk)|cdk (synth|deploy|diff|destroy))\b/.test(snippet.text));

    // Act
    const keys = found(cdkLines, /(?:^|\s)(?:-c|--context)\s+['"]?([\w.-]+)=/g, (match) => match[1]);

    // Assess
    expect(keys.length).toBeGreaterThan(5);
    // Every setting lives under the one context key (`-c loginbridge.stage=prod`); lib/config.ts refuses any other.
    expect(
      keys
        .filter((key) => key.value.split('.')[0] !== CONTEXT_KEY || !CONFIG_KEYS.includes(key.value.split('.')[1]))
        .map((key) => `${key.file}: -c ${key.value}`),
    ).toEqual([]);
  });

  it('shows only aws CLI commands from the known list', () => {
    // Act
    const calls = found(shown, /(?:^|[\s;&|(])aws ([a-z0-9-]+) ([a-z0-9-]+)/g, (match) => `${match[1]} ${match[2]}`);

    // Assess
    expect(calls.map((call) => call.value)).toEqual(
      expect.arrayContaining([
        'secretsmanager put-secret-value',
        'secretsmanager rotate-secret',
        'dynamodb restore-table-to-point-in-time',
        'sesv2 create-email-identity',
        'cloudformation describe-stacks',
      ]),
    );
    const unknown = calls.filter((call) => {
      const [service, command] = call.value.split(' ');
      return !AWS_COMMANDS[service]?.includes(command);
    });
    expect(unknown.map((call) => `${call.file}: aws ${call.value}`)).toEqual([]);
  });
});

describe('Repository paths in backticks', () => {
  /**
   * `lib/config.ts`, `test/infra/*.test.ts`: a path from the repository root, not a secret name
   * (`loginbridge/prod/astrato`), an API path (`/login-flow/login`), a placeholder or a bare file name.
   */
  const looksLikePath = (text: string) =>
    !/[\s<>{}$]/.test(text) && new RegExp(`^(${REPO_DIRS.map((dir) => dir.replace('.', '\\.')).join('|')})/[\\w.*/-]+$`).test(text);

  const exists = (path: string): boolean => {
    if (!path.includes('*')) return existsSync(join(ROOT, path.replace(/\/$/, '')));
    // A glob: at least one file must match it.
    const [dir, pattern] = [path.slice(0, path.lastIndexOf('/')), path.slice(path.lastIndexOf('/') + 1)];
    if (dir.includes('*') || !existsSync(join(ROOT, dir))) return false;
    const regex = new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    return readdirSync(join(ROOT, dir)).some((name) => regex.test(name));
  };

  it('names files and folders that exist', () => {
    // Act
    const paths = DOCS.flatMap(inlineCode).filter((span) => looksLikePath(span.text));

    // Assess
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((path) => !exists(path.text)).map((path) => `${path.file}: ${path.text}`)).toEqual([]);
  });
});

describe('Alarm runbook links', () => {
  it('point at a section of docs/operations.md that exists', () => {
    // Prepare
    const source = readdirSync(join(ROOT, 'lib', 'constructs'))
      .map((name) => readFileSync(join(ROOT, 'lib', 'constructs', name), 'utf8'))
      .join('\n');
    const anchors = [...source.matchAll(/docs\/operations\.md#([a-z0-9-]+)/g)].map((match) => match[1]);
    const headings = [...readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map((match) =>
      match[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s/g, '-'),
    );

    // Assess
    expect(anchors.length).toBeGreaterThanOrEqual(8);
    expect(anchors.filter((anchor) => !headings.includes(anchor))).toEqual([]);
  });
});
