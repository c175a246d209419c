import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ServiceUnavailableError } from '../../core/errors';
import type { Mailer, OutgoingEmail } from '../../core/ports';

/** Amazon SES (v2) with a verified sender identity from configuration. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [email.to] },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
    } catch (error) {
      throw new ServiceUnavailableError('The email could not be sent right now.', { cause: error });
    }
  }
}

/** The deployed mailer. The SDK client is made here, so only functions granted mail load the SES client at all. */
export function createSesMailer(from: string, configurationSet?: string): SesMailer {
  return new SesMailer(new SESv2Client({}), from, configurationSet);
}
