import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../lambdas/routes';

describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('lists every endpoint of the route table with its method', () => {
    const missing = ROUTES.filter((route) => !readme.includes(`\`${route.method} ${route.path}\``)).map((route) => `${route.method} ${route.path}`);

    expect(missing).toEqual([]);
  });

  it('names the two set-up commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });
});
