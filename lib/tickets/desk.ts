/**
 * The staff help desk beyond lib/tickets/store.ts: agents (for assignment and @mentions), presence ("another
 * agent is viewing / replying", kept in public.ticket_presence), bulk actions on the queue, canned-response
 * management, and the related records shown beside a ticket. Every function takes the transaction first and
 * runs under the caller's RLS; the SQL functions (migration 20261129182000_ticket_agent_desk.sql) check
 * tickets.manage again.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { walletErrors } from "../wallet/errors.ts";
import { walletSummary } from "../wallet/summary.ts";
import { ticketErrors } from "./errors.ts";
import { assignTicket, changeStatus, getTicket, setTags, type Ticket } from "./store.ts";

export interface Agent {
  id: string;
  email: string;
  available: boolean;
}

/** People whose role grants tickets.manage, by email. */
export async function listAgents(tx: Tx): Promise<Agent[]> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<{ user_id: string; email: string; available: boolean }>`
      select * from tickets.agents()`.execute(tx);
    return rows.map((r) => ({ id: r.user_id, email: r.email, available: r.available }));
  });
}

/** The handles mentioned in a text: "@name" or "@name@host" (letters, digits, . _ + -). */
export function mentionHandles(text: string): string[] {
  const found = text.matchAll(/(?:^|[^\p{L}\p{N}_.+-])@([\p{L}\p{N}_.+-]+(?:@[\p{L}\p{N}.-]+)?)/gu);
  return [...new Set([...found].map((m) => m[1].replace(/[.]+$/, "").toLowerCase()))];
}

/** The agents a text mentions: "@email" or "@local-part" of an agent's email. */
export function mentionedAgents(text: string, agents: Agent[]): Agent[] {
  const handles = new Set(mentionHandles(text));
  return agents.filter((a) => {
    const email = a.email.toLowerCase();
    return handles.has(email) || handles.has(email.split("@")[0]);
  });
}

/** Announces the @mentions of the caller's message through the notification hook; returns who was told. */
export async function mentionAgents(tx: Tx, messageId: string, agentIds: string[]): Promise<string[]> {
  if (agentIds.length === 0) return [];
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<{ notified: string[] }>`
      select tickets.mention_agents(${messageId}::bigint, ${agentIds}::uuid[]) as notified`.execute(tx);
    return rows[0].notified;
  });
}

// Presence ---------------------------------------------------------------------------------------------

export type PresenceState = "viewing" | "replying";
/** A presence row older than this is no longer shown. */
export const PRESENCE_TTL_SECONDS = 120;

export interface Presence {
  userId: string;
  email: string;
  state: PresenceState;
  seenAt: Date;
}

/** The caller is viewing or replying to `ticketId` now. */
export async function touchPresence(
  tx: Tx,
  ticketId: string,
  state: PresenceState = "viewing",
): Promise<void> {
  await ticketErrors.mapping(() =>
    sql`select tickets.touch_presence(${ticketId}::bigint, ${state})`.execute(tx)
  );
}

/** The caller left `ticketId`. */
export async function leavePresence(tx: Tx, ticketId: string): Promise<void> {
  await ticketErrors.mapping(() => sql`select tickets.leave_presence(${ticketId}::bigint)`.execute(tx));
}

/** Other agents on `ticketId` within the last PRESENCE_TTL_SECONDS, replying first. */
export async function presenceOn(tx: Tx, ticketId: string, exceptUserId: string): Promise<Presence[]> {
  const { rows } = await sql<{ user_id: string; email: string; state: PresenceState; seen_at: Date }>`
    select p.user_id, a.email, p.state, p.seen_at
    from public.ticket_presence p join tickets.agents() a on a.user_id = p.user_id
    where p.ticket_id = ${ticketId}::bigint and p.user_id <> ${exceptUserId}::uuid
      and p.seen_at > now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})
    order by p.state desc, a.email`.execute(tx);
  return rows.map((r) => ({ userId: r.user_id, email: r.email, state: r.state, seenAt: r.seen_at }));
}

// Bulk actions -----------------------------------------------------------------------------------------

export type BulkAction =
  | { kind: "assign"; assigneeId: string | null }
  | { kind: "close" }
  | { kind: "tag"; tag: string };

/** Applies one action to several tickets in the caller's transaction: all of them change, or none. */
export async function bulkUpdate(tx: Tx, ids: string[], action: BulkAction): Promise<Ticket[]> {
  const done: Ticket[] = [];
  for (const id of ids) {
    if (action.kind === "assign") done.push(await assignTicket(tx, id, action.assigneeId));
    else if (action.kind === "close") done.push(await changeStatus(tx, id, "closed"));
    else {
      const ticket = await getTicket(tx, id);
      if (!ticket) throw ticketErrors.refuse("ticket_not_found");
      done.push(await setTags(tx, id, [...ticket.tags, action.tag]));
    }
  }
  return done;
}

// Canned responses -------------------------------------------------------------------------------------

export interface CannedInput {
  departmentId: number | null;
  title: string;
  bodyFa: string;
  bodyEn: string;
}

/** Adds a canned response (staff, by RLS). */
export async function createCanned(tx: Tx, createdBy: string, input: CannedInput): Promise<string> {
  const row = await tx.insertInto("ticket_canned_responses").values({
    department_id: input.departmentId,
    title: input.title,
    body_fa: input.bodyFa,
    body_en: input.bodyEn,
    created_by: createdBy,
  }).returning("id").executeTakeFirstOrThrow();
  return String(row.id);
}

/** Deletes a canned response (staff, by RLS); false when there was none. */
export async function deleteCanned(tx: Tx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom("ticket_canned_responses").where("id", "=", id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// Related records --------------------------------------------------------------------------------------

export interface RecentPayment {
  id: string;
  amount: bigint;
  status: string;
  createdAt: Date;
}

export interface RelatedRecords {
  /** Rials; undefined when the viewer may not see wallets (or the customer has none). */
  wallet?: { balance: bigint; available: bigint };
  /** undefined when the viewer may not see payments. */
  payments?: RecentPayment[];
}

/**
 * The customer's wallet balance (when `may.wallet`) and five most recent payments (when `may.payments`),
 * read under the viewer's RLS, which checks wallet.view / payments.view again.
 */
export async function relatedRecords(
  tx: Tx,
  customerId: string,
  may: { wallet: boolean; payments: boolean },
): Promise<RelatedRecords> {
  const related: RelatedRecords = {};
  if (may.wallet) {
    try {
      const w = await walletSummary(tx, customerId);
      related.wallet = { balance: w.balance, available: w.available };
    } catch (error) {
      if (!walletErrors.is(error)) throw error;
    }
  }
  if (may.payments) {
    const { rows } = await sql<{ id: string; amount: string; status: string; created_at: Date }>`
      select id::text, amount::text, status::text, created_at from payments.staff_payments
      where user_id = ${customerId}::uuid order by id desc limit 5`.execute(tx);
    related.payments = rows.map((r) => ({
      id: r.id,
      amount: BigInt(r.amount),
      status: r.status,
      createdAt: r.created_at,
    }));
  }
  return related;
}
