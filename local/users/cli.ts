/**
 * `npm run import-users -- <file.jsonl> [options]` and
 * `npm run export-users -- <file.jsonl> [options]`; see docs/migration.md.
 */
import { parseArgs } from 'node:util';
import { exportUsers } from './export-users';
import { importUsers, summary } from './import-users';
import { loadDotEnv, resolveTarget } from './target';

const USAGE = `Usage:
  npm run import-users -- <file.jsonl> [--dry-run] [--update] [--from-line N] [--batch-size 10] [--concurrency 16]
                          [--report FILE] [--table NAME [--region R]] [--endpoint URL]
                          [--firebase-signer-key B64 --firebase-salt-separator B64 --firebase-rounds N --firebase-mem-cost N]
  npm run export-users -- <file.jsonl> [--table NAME [--region R]] [--endpoint URL]
Without --table: the local stack's table (DYNAMODB_ENDPOINT, TABLE_NAME, .env), as npm start uses them.`;

const positive = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive whole number`);
  return number;
};

async function main(command: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      update: { type: 'boolean' },
      'from-line': { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      report: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      'firebase-signer-key': { type: 'string' },
      'firebase-salt-separator': { type: 'string' },
      'firebase-rounds': { type: 'string' },
      'firebase-mem-cost': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotEnv();
  const target = resolveTarget({ table: values.table, endpoint: values.endpoint, region: values.region });
  const [file] = positionals;

  if (command === 'export') {
    const report = await exportUsers(file, target);
    console.log(
      `${report.exported} users exported to ${file} in ${report.seconds.toFixed(1)} s (${report.foreignHashes} still with an imported hash, ${report.withoutPassword} without password)`,
    );
    return 0;
  }

  const firebaseFlags = [values['firebase-signer-key'], values['firebase-salt-separator'], values['firebase-rounds'], values['firebase-mem-cost']];
  if (firebaseFlags.some(Boolean) && !firebaseFlags.every(Boolean))
    throw new Error('Firebase scrypt needs all four: --firebase-signer-key, --firebase-salt-separator, --firebase-rounds, --firebase-mem-cost');
  const report = await importUsers({
    file,
    target,
    dryRun: values['dry-run'],
    update: values.update,
    fromLine: positive('from-line', values['from-line']),
    batchSize: positive('batch-size', values['batch-size']),
    concurrency: positive('concurrency', values.concurrency),
    reportFile: values.report,
    firebase: firebaseFlags.every(Boolean)
      ? {
          base64SignerKey: values['firebase-signer-key']!,
          base64SaltSeparator: values['firebase-salt-separator']!,
          rounds: positive('firebase-rounds', values['firebase-rounds'])!,
          memCost: positive('firebase-mem-cost', values['firebase-mem-cost'])!,
        }
      : undefined,
  });
  console.log(`Target: table ${target.tableName}${target.endpoint ? ` at ${target.endpoint}` : ` in ${target.region ?? 'the default region'}`}`);
  console.log(summary(report));
  return report.failed ? 1 : 0;
}

const command = process.argv[2];
main(command, process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
