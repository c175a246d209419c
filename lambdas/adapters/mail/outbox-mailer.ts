import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mailer, OutgoingEmail } from '../../core/ports';
import { newId } from '../../core/random';

/** The local stack's mail: each email one JSON file `{to, subject, text, html, links}` in the outbox folder. */
export class OutboxMailer implements Mailer {
  constructor(private readonly directory: string) {}

  async send(email: OutgoingEmail): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${newId()}.json`;
    // Written aside, then renamed: whoever reads the outbox (a person, a test) never sees half an email.
    const partial = join(this.directory, `${name}.partial`);
    await writeFile(partial, JSON.stringify({ ...email, sentAt: new Date().toISOString() }, null, 2), { mode: 0o600 });
    await rename(partial, join(this.directory, name));
  }
}
