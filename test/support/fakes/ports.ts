import type { Mailer, OutgoingEmail } from '../../../lambdas/core/ports';

/**
 * A port with only the methods a test expects to be called; any other call
 * fails the test with the method's name, rather than returning undefined and
 * letting the code under test wander on.
 */
export function partialPort<T extends object>(name: string, methods: Partial<T>): T {
  return new Proxy(methods as T, {
    get(target, property, receiver) {
      if (property in target || typeof property === 'symbol' || property === 'then') return Reflect.get(target, property, receiver);
      return () => {
        throw new Error(`${name}.${String(property)} was not expected in this test`);
      };
    },
  });
}

/** Keeps every email; `failing` makes the next sends throw, like a mail service that is down. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  failing = false;

  async send(email: OutgoingEmail): Promise<void> {
    if (this.failing) throw new Error('mail service unavailable');
    this.sent.push(email);
  }
}

/** Collects log lines so tests can check what was (and was not) logged. */
export class RecordingLog {
  readonly lines: { level: 'warn' | 'error'; message: string; fields?: Record<string, unknown> }[] = [];

  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}
