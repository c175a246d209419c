import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const DOCS_DIR = join(ROOT, 'docs');
const DOCS = [
  join(ROOT, 'README.md'),
  ...(existsSync(DOCS_DIR)
    ? readdirSync(DOCS_DIR)
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(DOCS_DIR, name))
    : []),
];
const TRACKED = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const TRACKED_NAMES = new Set(TRACKED.map((file) => basename(file)));

/** Web pages (public references) and anchors are not repository paths; everything else must be. */
const isWebOrAnchor = (target: string) => /^(https?:|mailto:|#)/i.test(target);
const inside = (path: string) => path === ROOT || path.startsWith(ROOT + sep);

interface Finding {
  file: string;
  line: number;
  text: string;
  problem: string;
}

/** Every link, relative path, host path and `*.md` name in one document that does not stay inside the repository. */
function escapes(file: string): Finding[] {
  const findings: Finding[] = [];
  const name = relative(ROOT, file);
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1];
        if (isWebOrAnchor(target)) continue;
        const path = resolve(dirname(file), decodeURIComponent(target.replace(/#.*$/, '')));
        if (!inside(path)) findings.push({ file: name, line, text: target, problem: 'link leaves the repository' });
        else if (!existsSync(path)) findings.push({ file: name, line, text: target, problem: 'link to a file that is not in the repository' });
      }
      for (const match of text.matchAll(/(?:^|[\s`'"(=])((?:\.\.\/)+[\w.@-][^\s`'")]*)/g)) {
        if (!inside(resolve(dirname(file), match[1])))
          findings.push({ file: name, line, text: match[1], problem: 'relative path climbs out of the repository' });
      }
      for (const match of text.matchAll(/(?:^|[\s`'"(=])((?:file:\/\/)?\/(?:work|home|Users|root|mnt|srv)\/[^\s`'")]*|~\/[^\s`'")]+|file:\/\/\/[^\s`'")]*)/g)) {
        findings.push({ file: name, line, text: match[1], problem: "path on someone's machine" });
      }
      for (const match of text.replace(/https?:\/\/\S+/g, '').matchAll(/\b([\w.-]+\.md)\b/g)) {
        if (!TRACKED_NAMES.has(match[1]) && !existsSync(join(ROOT, match[1])) && !existsSync(join(DOCS_DIR, match[1]))) {
          findings.push({ file: name, line, text: match[1], problem: 'names a document that is not in the repository' });
        }
      }
    });
  return findings;
}

describe('README.md and docs/*.md', () => {
  it('covers the README and every document under docs/', () => {
    expect(DOCS.map((file) => relative(ROOT, file))).toEqual(expect.arrayContaining(['README.md', join('docs', 'sso.md')]));
  });

  it('link and point only to files inside the repository', () => {
    expect(DOCS.flatMap(escapes)).toEqual([]);
  });

  it('would catch a link out of the repository, a host path and a document kept elsewhere', () => {
    const probe = join(DOCS_DIR, '__probe__.md');
    const text = [
      'See [the style](../../elsewhere/STYLE.md) and `../outside/notes.txt`.',
      'Facts: /home/someone/facts.txt and ~/notes.',
      'As the partner file PARTNERS-ELSEWHERE.md says.',
      '[ok](sso.md) [web](https://example.com/x.md)',
    ].join('\n');
    const findings = (() => {
      const { writeFileSync, rmSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
      writeFileSync(probe, text);
      try {
        return escapes(probe);
      } finally {
        rmSync(probe);
      }
    })();
    expect(findings.map((finding) => finding.problem).sort()).toEqual([
      'link leaves the repository',
      'names a document that is not in the repository',
      'names a document that is not in the repository',
      "path on someone's machine",
      "path on someone's machine",
      'relative path climbs out of the repository',
    ]);
  });
});

describe('the repository', () => {
  it('cites the partner contracts from docs/sso.md and docs/portal.md, never from a file it does not hold', () => {
    const outside = ['CONTRACTS', 'md'].join('.');
    const citing = TRACKED.filter((file) => existsSync(join(ROOT, file)) && readFileSync(join(ROOT, file), 'utf8').includes(outside));
    expect(citing).toEqual([]);
    expect(existsSync(join(ROOT, 'docs', 'sso.md')) && existsSync(join(ROOT, 'docs', 'portal.md'))).toBe(true);
  });
});
