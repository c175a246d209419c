import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import type { ImportOutcome } from '../../lambdas/adapters/dynamo/account-importer';
import type { FirebaseScryptProject } from '../../lambdas/core/password-formats';
import { partnerClaims } from '../../lambdas/core/sso/partner-identities';
import { type ImportedAccount, MAX_LINE_BYTES, parseImportLine } from '../../lambdas/core/user-import';
import { FirstOccurrences } from './first-occurrences';
import { readLines } from './lines';
import { importerFor, type TableTarget } from './target';

export interface ImportUsersOptions {
  file: string;
  target: TableTarget;
  /**
   * 1-based: lines before it are not written (to resume a run). They are still
   * read and checked, so that a repeated email is decided as in a run from line 1.
   */
  fromLine?: number;
  dryRun?: boolean;
  update?: boolean;
  /** Accounts per transaction (up to 6 items each: credential, profile, deletion check, partner claims; at most 16). */
  batchSize?: number;
  /** Transactions in flight. */
  concurrency?: number;
  firebase?: FirebaseScryptProject;
  /** Where every skipped or failed line is listed (JSON Lines); default `<file>.report.jsonl`. */
  reportFile?: string;
  /** Progress lines; default stderr. Pass `null` for none. */
  progress?: NodeJS.WritableStream | null;
}

export type Problem =
  | { line: number; email?: string; outcome: 'invalid' | 'exists' | 'failed'; reason: string }
  /** The same normalized email as an earlier valid line of the file, which is the one imported (or reported). */
  | { line: number; email: string; outcome: 'duplicate'; duplicateOf: number; reason: string };

export interface ImportReport {
  dryRun: boolean;
  linesRead: number;
  imported: number;
  updated: number;
  /** Email already present (not overwritten without --update). */
  skippedExisting: number;
  /** Lines that are not a valid user. */
  skippedInvalid: number;
  /** Valid lines whose email an earlier valid line of the file already had: the first occurrence wins. */
  skippedDuplicate: number;
  failed: number;
  seconds: number;
  usersPerSecond: number;
  /** Write capacity DynamoDB reported (DynamoDB Local reports a transaction at half its billed cost). */
  reportedWriteUnits: number;
  /** What DynamoDB bills for these writes: 2 units per KB per item in a transaction. */
  estimatedWriteUnits: number;
  reportFile: string;
  /** The first problems, for the summary; all of them are in the report file. */
  firstProblems: Problem[];
}

const FIRST_PROBLEMS = 20;

/**
 * Billed units of one imported account inside a transaction (2 WCU per started KB of each item): the credential, the
 * profile, the deletion check (one unit's worth) and one small claim per partner identity.
 */
function billedUnits(account: ImportedAccount): number {
  const credentialBytes = 120 + account.email.length * 2 + (account.passwordHash?.length ?? 0);
  const profileBytes = 120 + JSON.stringify(account.profile).length;
  return 2 * (Math.ceil(credentialBytes / 1024) + Math.ceil(profileBytes / 1024) + 1 + partnerClaims(account.profile.attributes).length);
}

/**
 * `npm run import-users`: streams a JSON Lines file of users into the table.
 * Bad lines are reported and skipped, never fatal; an email already present
 * is reported, not overwritten (unless `update`). Within a file the first
 * valid line of an email wins, whatever the concurrency: later ones are
 * reported as `duplicate` and never written.
 */
export async function importUsers(options: ImportUsersOptions): Promise<ImportReport> {
  const batchSize = Math.min(16, Math.max(1, options.batchSize ?? 10));
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const fromLine = Math.max(1, options.fromLine ?? 1);
  const reportFile = options.reportFile ?? `${options.file}.report.jsonl`;
  const progressOut = options.progress === undefined ? process.stderr : options.progress;
  const fileBytes = statSync(options.file).size;
  const { importer, close } = importerFor(options.target);
  const reportStream: WriteStream = createWriteStream(reportFile);
  const now = new Date().toISOString();

  const report: ImportReport = {
    dryRun: !!options.dryRun,
    linesRead: 0,
    imported: 0,
    updated: 0,
    skippedExisting: 0,
    skippedInvalid: 0,
    skippedDuplicate: 0,
    failed: 0,
    seconds: 0,
    usersPerSecond: 0,
    reportedWriteUnits: 0,
    estimatedWriteUnits: 0,
    reportFile,
    firstProblems: [],
  };
  const problem = (entry: Problem) => {
    if (entry.outcome === 'invalid') report.skippedInvalid += 1;
    else if (entry.outcome === 'exists') report.skippedExisting += 1;
    else if (entry.outcome === 'duplicate') report.skippedDuplicate += 1;
    else report.failed += 1;
    if (report.firstProblems.length < FIRST_PROBLEMS) report.firstProblems.push(entry);
    reportStream.write(`${JSON.stringify(entry)}\n`);
  };

  const started = Date.now();
  let bytesRead = 0;
  let lastProgress = 0;
  const showProgress = (final = false) => {
    if (!progressOut) return;
    const elapsed = (Date.now() - started) / 1000;
    const done = report.imported + report.updated + report.skippedExisting + report.skippedInvalid + report.skippedDuplicate + report.failed;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const fraction = fileBytes ? bytesRead / fileBytes : 1;
    const eta = fraction > 0 && !final ? (elapsed / fraction) * (1 - fraction) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
    const line = `[${bar}] ${(fraction * 100).toFixed(1)}%  ${done} users  ${rate.toFixed(0)} users/s  ETA ${final ? 'done' : `${Math.ceil(eta)} s`}`;
    const tty = (progressOut as { isTTY?: boolean }).isTTY;
    progressOut.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };

  type Entry = { line: number; account: ImportedAccount };
  const inFlight = new Set<Promise<void>>();
  const firstOccurrences = new FirstOccurrences();
  const settle = (batch: Entry[], outcomes: ImportOutcome[]) => {
    outcomes.forEach((outcome, position) => {
      const { line, account } = batch[position];
      if (outcome.outcome === 'imported') {
        report.imported += 1;
        report.estimatedWriteUnits += billedUnits(account);
      } else if (outcome.outcome === 'updated') {
        report.updated += 1;
        report.estimatedWriteUnits += billedUnits(account);
      } else if (outcome.outcome === 'exists')
        problem({ line, email: account.email, outcome: 'exists', reason: 'an account with this email already exists (use --update to replace it)' });
      else problem({ line, email: account.email, outcome: 'failed', reason: outcome.reason });
    });
  };
  const write = async (batch: Entry[]) => {
    const accounts = batch.map(({ account }) => account);
    if (options.dryRun) {
      const existing = await importer.existingEmails(accounts.map(({ email }) => email));
      settle(
        batch,
        accounts.map((account) => (existing.has(account.email) ? { outcome: 'exists' } : { outcome: 'imported', userId: '' })),
      );
      return;
    }
    try {
      settle(batch, await importer.importBatch(accounts, { update: !!options.update, onCapacity: (units) => (report.reportedWriteUnits += units) }));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      settle(
        batch,
        accounts.map(() => ({ outcome: 'failed', reason })),
      );
    }
  };
  let batch: Entry[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const sending = batch;
    batch = [];
    const task = write(sending).finally(() => inFlight.delete(task));
    inFlight.add(task);
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  try {
    for await (const line of readLines(createReadStream(options.file), MAX_LINE_BYTES)) {
      bytesRead = line.bytesRead;
      if (!line.tooLong && !line.text.trim()) continue;
      const resumed = line.number < fromLine;
      if (!resumed) report.linesRead += 1;
      const parsed = line.tooLong
        ? { ok: false as const, reason: `line longer than ${MAX_LINE_BYTES} characters` }
        : parseImportLine(line.text, { firebase: options.firebase, now });
      if (!parsed.ok) {
        if (!resumed) problem({ line: line.number, outcome: 'invalid', reason: parsed.reason });
        continue;
      }
      // The first valid line with an email decides it, here in file order, before anything is in flight: a later
      // line never races it (nor overwrites it with --update). Lines before --from-line claim their emails too,
      // so a resumed run decides exactly as a run from line 1 would.
      const firstLine = firstOccurrences.claim(parsed.account.email, line.number);
      if (resumed) continue;
      if (firstLine !== undefined) {
        problem({
          line: line.number,
          email: parsed.account.email,
          outcome: 'duplicate',
          duplicateOf: firstLine,
          reason: `the same email as line ${firstLine}, which is the one imported`,
        });
        continue;
      }
      batch.push({ line: line.number, account: parsed.account });
      if (batch.length >= batchSize) await flush();
      if (Date.now() - lastProgress > ((progressOut as { isTTY?: boolean } | null)?.isTTY ? 500 : 10_000)) {
        lastProgress = Date.now();
        showProgress();
      }
    }
    await flush();
    await Promise.all(inFlight);
  } finally {
    close();
    await new Promise<void>((done) => reportStream.end(() => done()));
  }
  report.seconds = (Date.now() - started) / 1000;
  report.usersPerSecond = report.seconds > 0 ? (report.imported + report.updated) / report.seconds : 0;
  showProgress(true);
  return report;
}

export function summary(report: ImportReport): string {
  const verb = report.dryRun ? 'would import' : 'imported';
  const lines = [
    `${report.dryRun ? 'Dry run: ' : ''}${report.linesRead} lines read in ${report.seconds.toFixed(1)} s`,
    `  ${verb}:  ${report.imported}${report.updated ? ` (+${report.updated} updated)` : ''}${report.dryRun ? '' : `  (${report.usersPerSecond.toFixed(0)} users/s)`}`,
    `  skipped:   ${report.skippedExisting + report.skippedDuplicate + report.skippedInvalid} (${report.skippedExisting} email already present, ${report.skippedDuplicate} repeated email in the file, ${report.skippedInvalid} invalid lines)`,
    `  failed:    ${report.failed}`,
  ];
  if (!report.dryRun) {
    lines.push(
      `  capacity:  ${report.estimatedWriteUnits} write units as DynamoDB bills them (${report.reportedWriteUnits.toFixed(0)} reported by the endpoint)`,
    );
  }
  for (const entry of report.firstProblems) lines.push(`  line ${entry.line}: ${entry.outcome}${entry.email ? ` ${entry.email}` : ''}: ${entry.reason}`);
  if (report.skippedExisting + report.skippedDuplicate + report.skippedInvalid + report.failed > report.firstProblems.length)
    lines.push(`  ... every skipped or failed line is in ${report.reportFile}`);
  else if (report.firstProblems.length) lines.push(`  (also in ${report.reportFile})`);
  return lines.join('\n');
}
