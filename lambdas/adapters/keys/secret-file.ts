import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServiceUnavailableError } from '../../core/errors';
import { randomToken } from '../../core/random';

/**
 * A local stack's random secret file (mode 600), made with 32 random bytes on
 * first use and kept: the factor key, the refresh token key ring. `what` names
 * it in the error when the file exists but cannot be read.
 */
export function readOrCreateSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ServiceUnavailableError(`The ${what} file cannot be read right now.`, { cause: error });
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    // `wx`: when two processes start at once, one writes and the other reads what it wrote.
    writeFileSync(path, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8');
}
