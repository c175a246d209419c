import type { Clock } from '../clock';
import { newId } from '../random';
import type { AuditAction, AuditEntry, AuditRecord, AuditStore, FieldChange } from './ports';

export interface AuditSinks {
  /** One structured line per entry (the log is a second copy of the trail). */
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
  /** One metric per entry, dimensioned by action. */
  metric(action: AuditAction): void;
}

/** Keys whose values are never written to the trail, whatever the caller passes. */
const SECRET_FIELD = /hash|secret|token|password|sealed|ott|ticket/i;

function withoutSecrets(changes: Record<string, FieldChange>): Record<string, FieldChange> {
  return Object.fromEntries(Object.entries(changes).filter(([field]) => !SECRET_FIELD.test(field)));
}

/** What an entry is made from: the entry without what the trail adds (id, time), changes optional. */
export type AuditInput = Omit<AuditEntry, 'auditId' | 'at' | 'changes'> & { changes?: Record<string, FieldChange> };

/**
 * The audit trail of the operator console: every write and every read of a
 * user's data becomes one entry with actor, action, target, time,
 * correlation id and the before/after of the changed fields. It is stored in
 * the table (kept for AUDIT_RETENTION_DAYS), logged as one structured line
 * and counted as a metric.
 *
 * A write stores its entry in the action's own transaction (`entry`, then
 * the store writes both, then `published`): the action and its entry happen
 * together or not at all. A read stores its entry first (`record`) and shows
 * nothing when that fails.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly sinks: AuditSinks,
    private readonly clock: Clock,
    private readonly retentionDays: () => number,
  ) {}

  /** The entry of an action about to be written, with its retention end; not stored yet. */
  entry(input: AuditInput): AuditRecord {
    const nowMs = this.clock.now();
    const entry: AuditEntry = {
      auditId: newId(),
      at: new Date(nowMs).toISOString(),
      actorId: input.actorId,
      actorEmail: input.actorEmail,
      action: input.action,
      targetUserId: input.targetUserId,
      ...(input.targetEmail ? { targetEmail: input.targetEmail } : {}),
      correlationId: input.correlationId,
      changes: withoutSecrets(input.changes ?? {}),
    };
    return { entry, expiresAt: Math.floor(nowMs / 1000) + this.retentionDays() * 24 * 60 * 60 };
  }

  /** The log line and metric of an entry its action's transaction has stored. */
  published(record: AuditRecord): AuditEntry {
    this.sinks.info('admin action', { audit: record.entry, correlationId: record.entry.correlationId });
    this.sinks.metric(record.entry.action);
    return record.entry;
  }

  /**
   * The act and its entry in one write: `write` gets the entry and its expiry and commits both in one transaction
   * (e.g. with `auditPuts`), so no act goes unrecorded and no entry records an act that did not happen.
   */
  async recordWith<T>(input: AuditInput, write: (entry: AuditEntry, expiresAt: number) => Promise<T>): Promise<T> {
    const record = this.entry(input);
    const result = await write(record.entry, record.expiresAt);
    this.published(record);
    return result;
  }

  /** Stores an entry on its own (a read's): the read shows nothing unless this succeeded. */
  async record(input: AuditInput): Promise<AuditEntry> {
    const record = this.entry(input);
    try {
      await this.store.append(record);
    } catch (error) {
      this.sinks.error('admin action: the audit entry could not be stored, so the action was refused', {
        auditId: record.entry.auditId,
        correlationId: record.entry.correlationId,
        errorType: error instanceof Error ? error.name : typeof error,
      });
      throw error;
    }
    return this.published(record);
  }
}
