import { log } from '../../http/log';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { appleNotificationBody } from '../../http/schemas/federation';
import { validate } from '../../http/validation';
import { appleNotifications } from '../../runtime';

/** POST /login-flow/apple/notifications: Apple's server-to-server notifications (docs/native-sign-in.md, "Apple's obligations"). */
export const handler = httpHandler(
  async (request) => {
    const { payload } = validate(appleNotificationBody, request.body);
    const { notification, outcome } = await appleNotifications().receive(payload);
    // The event and what we did, never the subject or the address.
    log.info('apple notification', { event: notification.type, outcome, correlationId: request.correlationId });
    return ok({ status: 200, message: 'Received.' });
  },
  { errorStyle: 'api' },
);
