/**
 * The audit log of brokering: every decision and status change on a pairing (proposal) or a
 * cooperation, who made it, when, from what to what, and the note. Append-only: this module has
 * no update or delete, and a trigger in the database refuses them (migration 20261123000600).
 */
import type { brokering } from "~/i18n/locales/en/brokering";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

export type AuditEntityType = "proposal" | "cooperation";

/** Every action the log records has a label in both languages: a new one fails type-checking until labelled. */
export type AuditAction = keyof typeof brokering.audit.actions;

export type AuditEventInput = {
  entityType: AuditEntityType;
  entityId: string;
  action: AuditAction;
  fromStatus?: string | null;
  toStatus?: string | null;
  actorId: string | null;
  note?: string | null;
  now?: Date;
};

/** Writes one event inside the caller's transaction: it exists exactly when the change does. */
export async function recordAuditEvent(tx: TransactionClient, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      entityType: event.entityType,
      entityId: event.entityId,
      action: event.action,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      actorId: event.actorId,
      note: event.note ?? null,
      createdAt: event.now ?? new Date(),
    },
  });
}

export type AuditEventView = {
  id: string;
  entityType: string;
  entityId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorName: string | null;
  note: string | null;
  createdAt: Date;
};

/** The events of these entities, oldest first (staff only: notes may be internal). */
export async function listAuditEvents({
  entities,
}: {
  entities: ReadonlyArray<{ entityType: AuditEntityType; entityId: string }>;
}): Promise<AuditEventView[]> {
  if (entities.length === 0) return [];
  const rows = await getPrisma().auditEvent.findMany({
    where: { OR: entities.map((entity) => ({ entityType: entity.entityType, entityId: entity.entityId })) },
    orderBy: { seq: "asc" },
    select: {
      id: true,
      entityType: true,
      entityId: true,
      action: true,
      fromStatus: true,
      toStatus: true,
      note: true,
      createdAt: true,
      actor: { select: { name: true } },
    },
  });
  return rows.map(({ actor, ...row }) => ({ ...row, actorName: actor?.name ?? null }));
}
