import { once } from 'node:events';
import { createWriteStream, fchmodSync, openSync } from 'node:fs';
import { exportLine } from '../../lambdas/core/user-import';
import { importerFor, type TableTarget } from './target';

export interface ExportReport {
  exported: number;
  /** Users still holding their old system's hash (never signed in since the import). */
  foreignHashes: number;
  withoutPassword: number;
  seconds: number;
}

/**
 * `npm run export-users`: every account in the import format, one page of the
 * table at a time, written with back-pressure, to a file of mode 0600. Hashes
 * go out as stored: argon2id in PHC form for everyone who has signed in since
 * an import. Disabled marks go out too.
 */
export async function exportUsers(file: string, target: TableTarget, progress: NodeJS.WritableStream | null = process.stderr): Promise<ExportReport> {
  const started = Date.now();
  const { importer, close } = importerFor(target);
  // Password hashes and personal data: readable by the owner only. The mode given to open applies only to a new file,
  // so an existing one is narrowed too, before anything is written to it.
  const fd = openSync(file, 'w', 0o600);
  fchmodSync(fd, 0o600);
  const out = createWriteStream('', { fd });
  const report: ExportReport = { exported: 0, foreignHashes: 0, withoutPassword: 0, seconds: 0 };
  try {
    for await (const { profile, passwordHash } of importer.accounts()) {
      if (!out.write(`${exportLine(profile, passwordHash)}\n`)) await once(out, 'drain');
      report.exported += 1;
      if (!passwordHash) report.withoutPassword += 1;
      else if (!passwordHash.startsWith('$argon2id$')) report.foreignHashes += 1;
      if (progress && report.exported % 10_000 === 0) progress.write(`${report.exported} users exported\n`);
    }
  } finally {
    close();
    out.end();
    await once(out, 'close');
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
