import * as z from 'zod';

/**
 * WebAuthn answers as @simplewebauthn/browser sends them (the JSON of a
 * PublicKeyCredential; docs/security.md, "Second factors and passkeys"). Binary fields are
 * base64url; unknown fields are dropped. The library checks the contents.
 */

const MALFORMED = 'The passkey answer is malformed.';
const base64url = (max: number) =>
  z
    .string({ error: MALFORMED })
    .max(max, MALFORMED)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, MALFORMED);

const challengeId = z.string({ error: 'Name the challenge this answers (challengeId).' }).trim().min(1).max(64);

const credential = {
  id: base64url(1400).min(1, MALFORMED),
  rawId: base64url(1400).min(1, MALFORMED),
  type: z.literal('public-key', { error: MALFORMED }),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional().default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

export const authenticationResponse = z.object(
  {
    ...credential,
    response: z.object(
      {
        clientDataJSON: base64url(4096).min(1, MALFORMED),
        authenticatorData: base64url(4096).min(37, MALFORMED),
        signature: base64url(1024).min(1, MALFORMED),
        userHandle: base64url(128).optional(),
      },
      { error: MALFORMED },
    ),
  },
  { error: MALFORMED },
);

export const registrationResponse = z.object(
  {
    ...credential,
    response: z.object(
      {
        clientDataJSON: base64url(4096).min(1, MALFORMED),
        attestationObject: base64url(16384).min(1, MALFORMED),
        transports: z.array(z.string().max(32)).max(8).optional(),
      },
      { error: MALFORMED },
    ),
  },
  { error: MALFORMED },
);

/** A passkey answering an authentication challenge: a sign-in alone, or the `passkey` second factor beside a password. */
export const passkeyAnswer = z.object({ challengeId, response: authenticationResponse }, { error: MALFORMED });

export const passkeyRegisterBody = z.object({
  challengeId,
  response: registrationResponse,
  label: z.string().trim().min(1, 'Give the passkey a name.').max(60, 'A name can be at most 60 characters.').optional().default('Passkey'),
});
