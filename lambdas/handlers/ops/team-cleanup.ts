import { log } from '../../http/log';
import { gauge, PENDING_CLEANUPS_METRIC } from '../../http/metrics';
import { teamCleanup } from '../../runtime';

/**
 * The scheduled team clean-up (an EventBridge rule, no route): finishes every
 * recorded clean-up of a team left without members (its Auth0 clients and
 * grants in both tenants, then the team), and reports how many are still
 * pending so the alarm can tell when Auth0 stays out of reach. The local
 * stack runs it on a timer; tests import it and call it.
 */
export const handler = async (): Promise<{ finished: number; pending: number }> => {
  const result = await teamCleanup().runPending();
  gauge(PENDING_CLEANUPS_METRIC, result.pending);
  if (result.finished || result.pending) log.info('team clean-up run', result);
  return result;
};
