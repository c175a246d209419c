import { settings } from '../../lambdas/config';
import { ROUTES } from '../../lambdas/routes';
import { FUNCTION_TIMEOUT_SECONDS, MAX_PARTNER_BUDGET_MS, PARTNER_RESPONSE_MARGIN_MS, partnerBudgetMs } from '../../lambdas/time-budget';
import { logicalId, resourcesOf, type Synthesized, synthesize } from './support/synth';

describe('One time budget: partner operations end inside their function timeout', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize();
  });

  it('gives every function of the route table the one timeout of lambdas/time-budget.ts', () => {
    const timeouts = ROUTES.map((route) => {
      const fn = synth.stack.routeFunctions.handlerFunctions.get(`${route.method} ${route.path}`)!.fn;
      return resourcesOf(synth.template)[logicalId(fn)].Properties?.Timeout;
    });

    expect(new Set(timeouts)).toEqual(new Set([FUNCTION_TIMEOUT_SECONDS]));
  });

  it('derives the partner budget from that timeout minus the margin, for the settings each partner function gets', () => {
    const partnerRoutes = ROUTES.filter((route) => route.access.secrets?.length);
    expect(partnerRoutes.length).toBeGreaterThan(0);

    const budgets = partnerRoutes.map((route) => {
      const fn = synth.stack.routeFunctions.handlerFunctions.get(`${route.method} ${route.path}`)!.fn;
      const resource = resourcesOf(synth.template)[logicalId(fn)];
      const variables = (resource.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      const plain = Object.fromEntries(Object.entries(variables).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
      return { route: route.path, budgetMs: partnerBudgetMs(settings(plain).PARTNER_BUDGET_MS), timeoutMs: Number(resource.Properties?.Timeout) * 1000 };
    });

    for (const { budgetMs, timeoutMs } of budgets) expect(budgetMs + PARTNER_RESPONSE_MARGIN_MS).toBeLessThanOrEqual(timeoutMs);
    expect(MAX_PARTNER_BUDGET_MS).toBe(FUNCTION_TIMEOUT_SECONDS * 1000 - PARTNER_RESPONSE_MARGIN_MS);
  });

  it('caps a configured budget longer than the function allows', () => {
    expect(partnerBudgetMs(20_000)).toBe(MAX_PARTNER_BUDGET_MS);
    expect(partnerBudgetMs(3_000)).toBe(3_000);
  });
});
