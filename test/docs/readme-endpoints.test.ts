import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../../lambdas/routes';
import { withEndpointTable } from '../../scripts/endpoint-table';

describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('lists every endpoint of the route table with its method', () => {
    const missing = ROUTES.filter((route) => !readme.includes(`\`${route.method} ${route.path}\``)).map((route) => `${route.method} ${route.path}`);

    expect(missing).toEqual([]);
  });

  it('shows the endpoint table the route table makes (npm run endpoints)', () => {
    expect(readme).toBe(withEndpointTable(readme, ROUTES));
  });

  it('names the two set-up commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });
});
