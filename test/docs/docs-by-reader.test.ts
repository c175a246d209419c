import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DOCS_DIR = join(__dirname, '..', '..', 'docs');
const PAGES = readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md'));

/** Measured figures: requests per second, users per second, latency percentiles, import times in ms of a bench run. */
const BENCH_FIGURE = /\b\d[\d,.]*\s*(?:req\/s|refreshes\/s|users\/s)\b|\bp(?:50|99)\s+\d/;

describe('docs/', () => {
  it('stays a dozen pages by reader, well under 150 KB together', () => {
    const bytes = PAGES.reduce((total, name) => total + statSync(join(DOCS_DIR, name)).size, 0);

    expect(PAGES.length).toBeLessThanOrEqual(14);
    expect(bytes).toBeLessThan(150_000);
  });

  it('keeps measured bench figures on performance.md only', () => {
    const elsewhere = PAGES.filter((name) => name !== 'performance.md').filter((name) => BENCH_FIGURE.test(readFileSync(join(DOCS_DIR, name), 'utf8')));

    expect(elsewhere).toEqual([]);
  });

  it('would see a bench figure on another page', () => {
    expect(BENCH_FIGURE.test('refresh at 50 chains: 781 refreshes/s, p99 93.6 ms')).toBe(true);
    expect(BENCH_FIGURE.test('at most 100 failures per 15-minute window')).toBe(false);
  });
});
