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
/** What an entry is made from. */
export interface AuditInput {
  actorId: string;
  actorEmail: string;
  action: AuditAction;
  targetUserId: string;
  targetEmail?: string;
  correlationId: string;
  changes?: Record<string, FieldChange>;
}

/** An entry ready to be written, with the end of its retention: for a store that writes it in the same transaction as the act. */
export interface PreparedAudit {
  entry: AuditEntry;
  expiresAt: number;
}

export class AuditTrail {
  constructor(
    private readonly store: AuditStore,
    private readonly sinks: AuditSinks,
    private readonly clock: Clock,
    private readonly retentionDays: () => number,
  ) {}

  /**
   * The entry for an act whose store writes it in the act's own transaction
   * (a role grant): the act and its entry happen together or not at all.
   * Call `committed` once that transaction succeeded.
   */
  prepare(input: AuditInput): PreparedAudit {
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

  /** The log line and metric of an entry a store wrote with its act. */
  committed(prepared: PreparedAudit): void {
    this.sinks.info('admin action', { audit: prepared.entry, correlationId: prepared.entry.correlationId });
    this.sinks.metric(prepared.entry.action);
  }

  async record(input: AuditInput): Promise<AuditEntry> {
    const prepared = this.prepare(input);
    const { entry } = prepared;
    this.committed(prepared);
    try {
      await this.store.append(entry, prepared.expiresAt);
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
}
