import type { Clock } from '../clock';
import { newId } from '../random';
import type { AuditAction, AuditEntry, AuditStore, FieldChange } from './ports';

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

/**
 * The audit trail of the operator console: every write (and every export)
 * becomes one entry with actor, action, target, time, correlation id and the
 * before/after of the changed fields. It is stored in the table (kept for
 * AUDIT_RETENTION_DAYS), logged as one structured line and counted as a
 * metric. The entry is recorded after the action succeeded; when storing it
 * fails, the log line (written first) still holds it and an error says so.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly sinks: AuditSinks,
    private readonly clock: Clock,
    private readonly retentionDays: () => number,
  ) {}

  async record(input: AuditInput): Promise<AuditEntry> {
    const { entry, expiresAt } = this.entryOf(input);
    this.sinks.info('admin action', { audit: entry, correlationId: entry.correlationId });
    this.sinks.metric(entry.action);
    try {
      await this.store.append(entry, expiresAt);
    } catch (error) {
      this.sinks.error('admin action: the audit entry could not be stored (the log line above holds it)', {
        auditId: entry.auditId,
        correlationId: entry.correlationId,
        errorType: error instanceof Error ? error.name : typeof error,
      });
      throw error;
    }
    return entry;
  }

  /**
   * The act and its entry in one write: `write` gets the entry and its expiry
   * and commits both in one transaction, so no act goes unrecorded and no
   * entry records an act that did not happen. Logged once it committed.
   */
  async recordWith<T>(input: AuditInput, write: (entry: AuditEntry, expiresAt: number) => Promise<T>): Promise<T> {
    const { entry, expiresAt } = this.entryOf(input);
    const result = await write(entry, expiresAt);
    this.sinks.info('admin action', { audit: entry, correlationId: entry.correlationId });
    this.sinks.metric(entry.action);
    return result;
  }

  private entryOf(input: AuditInput): { entry: AuditEntry; expiresAt: number } {
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
}

export interface AuditInput {
  actorId: string;
  actorEmail: string;
  action: AuditAction;
  targetUserId: string;
  targetEmail?: string;
  correlationId: string;
  changes?: Record<string, FieldChange>;
}
