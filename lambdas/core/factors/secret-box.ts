import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { FactorKey } from './ports';

const VERSION = 'v1';

/**
 * Seals factor secrets at rest with AES-256-GCM under a key derived (HKDF) from
 * the factor key secret. The additional data binds a sealed secret to its user
 * and factor, so a sealed value copied onto another item does not open.
 */
export class SecretBox {
  private derived?: Promise<Buffer>;

  constructor(private readonly key: FactorKey) {}

  async seal(plain: string, binding: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.aesKey(), iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  async open(sealed: string, binding: string): Promise<string> {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag) throw new Error('A sealed factor secret has an unknown format.');
    const decipher = createDecipheriv('aes-256-gcm', await this.aesKey(), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  private aesKey(): Promise<Buffer> {
    this.derived ??= this.key.get().then((material) => Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'loginbridge factor secrets v1', 32)));
    return this.derived;
  }
}
