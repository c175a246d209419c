import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/** Authenticator data flags (WebAuthn §6.1). */
const FLAG = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attestedCredential: 0x40 } as const;

interface Credential {
  id: Uint8Array<ArrayBuffer>;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  signCount: number;
}

export interface SoftwareAuthenticatorOptions {
  /** The origin the "browser" reports in clientDataJSON. */
  origin: string;
  /** Performs user verification (a PIN or biometric): the UV flag. Default true. */
  userVerifies?: boolean;
  /** A synced passkey (backup eligible and backed up): `swk`; otherwise device-bound, `hwk`. Default false. */
  backedUp?: boolean;
  /** Keeps a signature counter (it grows by one per assertion); otherwise always 0, as most platform passkeys. Default true. */
  keepsCounter?: boolean;
}

/** What a test may falsify in one ceremony. */
export interface Tampering {
  origin?: string;
  rpId?: string;
  /** Sign this challenge instead of the options'. */
  challenge?: string;
  /** Report this counter (a cloned authenticator reports an old one). */
  signCount?: number;
  /** Report no user handle (a non-discoverable credential). */
  withoutUserHandle?: boolean;
  /** Report this user handle instead of the credential's. */
  userHandle?: string;
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.concat(parts));
const u32 = (value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
};

/**
 * A WebAuthn authenticator in software for tests: an EC P-256 key per
 * credential (node:crypto), `none` attestation, ES256 assertions, CBOR/COSE
 * from @simplewebauthn/server/helpers. It answers the JSON options the
 * server sends with the JSON @simplewebauthn/browser would send back.
 */
export class SoftwareAuthenticator {
  private readonly credentials: Credential[] = [];

  constructor(private readonly options: SoftwareAuthenticatorOptions) {}

  /** The ids (base64url) of the credentials made so far, oldest first. */
  get credentialIds(): string[] {
    return this.credentials.map((credential) => isoBase64URL.fromBuffer(credential.id));
  }

  /** navigator.credentials.create(): a new discoverable credential for the options' RP and user. */
  create(creation: PublicKeyCredentialCreationOptionsJSON, tampering: Tampering = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, isoBase64URL.toBuffer(jwk.x as string)],
      [-3, isoBase64URL.toBuffer(jwk.y as string)],
    ]);
    const id = new Uint8Array(randomBytes(32)) as Uint8Array<ArrayBuffer>;
    const rpId = creation.rp.id ?? new URL(this.options.origin).hostname;
    const credential: Credential = { id, privateKey, rpId, userHandle: creation.user.id, signCount: 0 };
    const attestedData = concat(new Uint8Array(16), new Uint8Array([id.length >> 8, id.length & 0xff]), id, isoCBOR.encode(coseKey));
    const authData = this.authenticatorData(tampering.rpId ?? rpId, FLAG.attestedCredential, tampering.signCount ?? 0, attestedData);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, never> | Uint8Array>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, never>()],
        ['authData', authData],
      ] as [string, string | Map<string, never> | Uint8Array][]),
    );
    this.credentials.push(credential);
    const idText = isoBase64URL.fromBuffer(id);
    return {
      id: idText,
      rawId: idText,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', tampering.challenge ?? creation.challenge, tampering.origin),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * navigator.credentials.get(): an assertion by a credential for the
   * options' RP (the newest, or the one named), with its user handle as a
   * discoverable credential reports it.
   */
  get(request: PublicKeyCredentialRequestOptionsJSON, tampering: Tampering = {}, credentialId?: string): AuthenticationResponseJSON {
    const rpId = request.rpId ?? new URL(this.options.origin).hostname;
    const candidates = this.credentials.filter((credential) => credential.rpId === rpId);
    const credential = credentialId ? candidates.find((candidate) => isoBase64URL.fromBuffer(candidate.id) === credentialId) : candidates.at(-1);
    if (!credential) throw new Error(`no credential for ${rpId}`);
    if (this.options.keepsCounter ?? true) credential.signCount += 1;
    const signCount = tampering.signCount ?? credential.signCount;
    const authData = this.authenticatorData(tampering.rpId ?? rpId, 0, signCount);
    const clientDataJSON = this.clientData('webauthn.get', tampering.challenge ?? request.challenge, tampering.origin);
    const signature = sign('sha256', concat(authData, sha256(isoBase64URL.toBuffer(clientDataJSON))), credential.privateKey);
    const idText = isoBase64URL.fromBuffer(credential.id);
    const userHandle = tampering.withoutUserHandle ? undefined : (tampering.userHandle ?? credential.userHandle);
    return {
      id: idText,
      rawId: idText,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(new Uint8Array(signature)),
        ...(userHandle ? { userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private authenticatorData(rpId: string, extraFlags: number, signCount: number, attested?: Uint8Array): Uint8Array<ArrayBuffer> {
    const backup = this.options.backedUp ? FLAG.backupEligible | FLAG.backedUp : 0;
    const verified = (this.options.userVerifies ?? true) ? FLAG.userVerified : 0;
    const flags = FLAG.userPresent | verified | backup | extraFlags;
    return concat(sha256(rpId), new Uint8Array([flags]), u32(signCount), attested ?? new Uint8Array());
  }

  private clientData(type: string, challenge: string, origin?: string): string {
    return isoBase64URL.fromUTF8String(JSON.stringify({ type, challenge, origin: origin ?? this.options.origin, crossOrigin: false }));
  }
}
