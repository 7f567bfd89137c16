/**
 * The help desk store: the SQL API in schema `tickets` (supabase/migrations/20261129170100_create_ticket_functions.sql)
 * and the list/read queries the pages and the API need. Every function takes the transaction first; run it
 * in `asUser` (RLS and the SQL permission checks see the caller) or `asService`. Refusals come back as
 * DomainErrors of ./errors.ts (e.g. `ticket_not_found` for another user's ticket, never a 403).
 *
 * Writes:   openTicket, postMessage, changeStatus, assignTicket, assignRoundRobin, setTags, reclassifyTicket,
 *           mergeTickets, rateTicket, setAvailability, renderCanned, addAttachment.
 * Reads:    getTicket (with messages and attachments; internal notes only reach staff, by RLS),
 *           listCustomerTickets (status filter + search + keyset), listQueue (saved filters + keyset),
 *           listDepartments, listCannedResponses, searchTickets.
 * Helpers:  normalizeSearch (the SQL folding, for tests and highlighting); customerTicketsQuery and queueQuery
 *           (the list queries unexecuted, for EXPLAIN).
 */
import { type Selectable, sql } from "kysely";
import type { Tx } from "../db/client.ts";
import { enumValues } from "../db/enums.ts";
import type { DB } from "../db/types.ts";
import { decodeCursor, encodeCursor, pageSize } from "../wallet/cursor.ts";
import { ticketErrors } from "./errors.ts";

export type TicketRow = Selectable<DB["tickets"]>;
export type TicketStatus = TicketRow["status"];
export type TicketPriority = TicketRow["priority"];
export type MessageRow = Selectable<DB["ticket_messages"]>;
export type AttachmentRow = Selectable<DB["ticket_attachments"]>;

/** public.ticket_status in workflow order (for filters and badges). */
export const TICKET_STATUSES = enumValues<TicketStatus>()([
  "open",
  "pending",
  "resolved",
  "closed",
  "reopened",
]);
/** public.ticket_priority, lowest first. */
export const TICKET_PRIORITIES = enumValues<TicketPriority>()(["low", "normal", "high", "urgent"]);
/** The staff queue's saved filters. */
export const QUEUE_FILTERS = ["all", "mine", "unassigned", "at_risk", "pending"] as const;
export type QueueFilter = typeof QUEUE_FILTERS[number];

export interface Ticket {
  id: string;
  number: string;
  customerId: string;
  subject: string;
  body: string;
  departmentId: number;
  priority: TicketPriority;
  status: TicketStatus;
  channel: string;
  assigneeId: string | null;
  paymentId: string | null;
  withdrawalId: string | null;
  tags: string[];
  mergedInto: string | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  pendingSince: Date | null;
  slaWarning: boolean;
  slaBreached: boolean;
  csatScore: number | null;
  csatComment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TicketAttachment {
  id: string;
  messageId: string | null;
  path: string;
  name: string;
  size: number;
  mime: string;
}

export interface TicketMessage {
  id: string;
  ticketId: string;
  authorId: string | null;
  authorRole: "customer" | "staff" | "system";
  body: string;
  internal: boolean;
  createdAt: Date;
  attachments: TicketAttachment[];
}

export interface TicketWithMessages extends Ticket {
  messages: TicketMessage[];
  /** Attachments of the ticket itself (not of a message). */
  attachments: TicketAttachment[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Row → Ticket (ids as strings, int8 never as number). */
export function toTicket(r: TicketRow): Ticket {
  return {
    id: String(r.id),
    number: r.number,
    customerId: r.customer_id,
    subject: r.subject,
    body: r.body,
    departmentId: r.department_id,
    priority: r.priority,
    status: r.status,
    channel: r.channel,
    assigneeId: r.assignee_id,
    paymentId: r.payment_id === null ? null : String(r.payment_id),
    withdrawalId: r.withdrawal_id === null ? null : String(r.withdrawal_id),
    tags: r.tags,
    mergedInto: r.merged_into === null ? null : String(r.merged_into),
    firstResponseDueAt: r.first_response_due_at,
    resolutionDueAt: r.resolution_due_at,
    firstRespondedAt: r.first_responded_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    pendingSince: r.pending_since,
    slaWarning: r.sla_warning,
    slaBreached: r.sla_breached,
    csatScore: r.csat_score,
    csatComment: r.csat_comment,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Row → TicketAttachment. */
export function toAttachment(r: AttachmentRow): TicketAttachment {
  return {
    id: String(r.id),
    messageId: r.message_id === null ? null : String(r.message_id),
    path: r.path,
    name: r.name,
    size: Number(r.size),
    mime: r.mime,
  };
}

/** Row → TicketMessage with its own attachments picked from `attachments`. */
export function toMessage(r: MessageRow, attachments: TicketAttachment[]): TicketMessage {
  return {
    id: String(r.id),
    ticketId: String(r.ticket_id),
    authorId: r.author_id,
    authorRole: r.author_role as TicketMessage["authorRole"],
    body: r.body,
    internal: r.internal,
    createdAt: r.created_at,
    attachments: attachments.filter((a) => a.messageId === String(r.id)),
  };
}

/** The columns of public.tickets a client needs (not the search columns). */
const TICKET_COLUMNS = [
  "id",
  "number",
  "customer_id",
  "subject",
  "body",
  "department_id",
  "priority",
  "status",
  "channel",
  "assignee_id",
  "payment_id",
  "withdrawal_id",
  "tags",
  "merged_into",
  "first_response_due_at",
  "resolution_due_at",
  "first_response_warn_at",
  "resolution_warn_at",
  "first_responded_at",
  "resolved_at",
  "closed_at",
  "pending_since",
  "paused_minutes",
  "first_response_minutes",
  "resolution_minutes",
  "last_customer_message_at",
  "reminder_sent_at",
  "sla_warning",
  "sla_breached",
  "csat_score",
  "csat_comment",
  "rated_at",
  "created_at",
  "updated_at",
] as const;

/** Runs a call of the SQL API and returns the ticket row it answers with (select * from tickets.fn(…)). */
async function ticketFrom(tx: Tx, call: ReturnType<typeof sql>): Promise<Ticket> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<TicketRow>`select * from ${call}`.execute(tx);
    return toTicket(rows[0]);
  });
}

// Writes -------------------------------------------------------------------------------------------------

export interface OpenTicketInput {
  subject: string;
  body: string;
  /** Department code (payments, technical, general); default general. */
  department?: string;
  priority?: TicketPriority;
  paymentId?: string | null;
  withdrawalId?: string | null;
  channel?: "web" | "api" | "email";
}

/** tickets.open: opens a ticket for the caller (SLA due dates, round-robin assignment). */
export async function openTicket(tx: Tx, input: OpenTicketInput): Promise<Ticket> {
  return await ticketFrom(
    tx,
    sql`tickets.open(${input.subject}, ${input.body}, ${input.department ?? "general"},
      ${input.priority ?? "normal"}::public.ticket_priority, ${input.paymentId ?? null}::bigint,
      ${input.withdrawalId ?? null}::bigint, ${input.channel ?? "web"})`,
  );
}

/** tickets.post_message: a reply, or (staff only) an internal note. */
export async function postMessage(
  tx: Tx,
  ticketId: string,
  body: string,
  options: { internal?: boolean } = {},
): Promise<TicketMessage> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<MessageRow>`
      select * from tickets.post_message(${ticketId}::bigint, ${body}, ${options.internal ?? false})`.execute(
      tx,
    );
    return toMessage(rows[0], []);
  });
}

/** tickets.change_status: the state machine (customers only close and reopen, within 7 days). */
export async function changeStatus(tx: Tx, ticketId: string, status: TicketStatus): Promise<Ticket> {
  return await ticketFrom(
    tx,
    sql`tickets.change_status(${ticketId}::bigint, ${status}::public.ticket_status)`,
  );
}

/** tickets.assign: manual assignment (staff); null unassigns. */
export async function assignTicket(tx: Tx, ticketId: string, assigneeId: string | null): Promise<Ticket> {
  return await ticketFrom(tx, sql`tickets.assign(${ticketId}::bigint, ${assigneeId}::uuid)`);
}

/** tickets.assign_round_robin: the next available agent of the department; null when none is available. */
export async function assignRoundRobin(tx: Tx, ticketId: string): Promise<string | null> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<{ assignee: string | null }>`
      select tickets.assign_round_robin(${ticketId}::bigint) as assignee`.execute(tx);
    return rows[0].assignee;
  });
}

/** tickets.set_tags: replaces the tags (trimmed, lower case, distinct). */
export async function setTags(tx: Tx, ticketId: string, tags: string[]): Promise<Ticket> {
  return await ticketFrom(tx, sql`tickets.set_tags(${ticketId}::bigint, ${tags}::text[])`);
}

/** tickets.reclassify: new priority and/or department (code); due dates follow the SLA policy. */
export async function reclassifyTicket(
  tx: Tx,
  ticketId: string,
  change: { priority?: TicketPriority; department?: string },
): Promise<Ticket> {
  return await ticketFrom(
    tx,
    sql`tickets.reclassify(${ticketId}::bigint, ${change.priority ?? null}::public.ticket_priority,
      ${change.department ?? null}::text)`,
  );
}

/** tickets.merge: source's thread moves to target; source closes and points to target. Returns target. */
export async function mergeTickets(tx: Tx, sourceId: string, targetId: string): Promise<Ticket> {
  return await ticketFrom(tx, sql`tickets.merge(${sourceId}::bigint, ${targetId}::bigint)`);
}

/** tickets.rate: CSAT 1–5 plus comment, once, by the customer, when resolved or closed. */
export async function rateTicket(
  tx: Tx,
  ticketId: string,
  score: number,
  comment?: string | null,
): Promise<Ticket> {
  return await ticketFrom(
    tx,
    sql`tickets.rate(${ticketId}::bigint, ${score}::integer, ${comment ?? null}::text)`,
  );
}

/** tickets.set_availability: the calling agent takes new tickets (round-robin) or not. */
export async function setAvailability(tx: Tx, available: boolean): Promise<void> {
  await ticketErrors.mapping(() => sql`select tickets.set_availability(${available})`.execute(tx));
}

/** tickets.render_canned: a canned response with {{customer.name}} and {{ticket.number}} filled. */
export async function renderCanned(
  tx: Tx,
  cannedId: string,
  ticketId: string,
  locale: "fa" | "en",
): Promise<string> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<{ text: string }>`
      select tickets.render_canned(${cannedId}::bigint, ${ticketId}::bigint, ${locale}) as text`.execute(tx);
    return rows[0].text;
  });
}

/**
 * tickets.add_attachment: records a file's metadata at {ticket_id}/{name} in bucket ticket-attachments (the
 * upload itself is the Storage work's); optionally of one of the ticket's messages.
 */
export async function addAttachment(
  tx: Tx,
  ticketId: string,
  file: { name: string; size: number; mime: string; messageId?: string | null },
): Promise<TicketAttachment> {
  return await ticketErrors.mapping(async () => {
    const { rows } = await sql<AttachmentRow>`
      select * from tickets.add_attachment(${ticketId}::bigint, ${file.name}, ${file.size}::bigint, ${file.mime},
        ${file.messageId ?? null}::bigint)`.execute(tx);
    return toAttachment(rows[0]);
  });
}

// Reads --------------------------------------------------------------------------------------------------

/** One ticket with its thread as the caller may see it (RLS: customers never get internal notes), or undefined. */
export async function getTicket(tx: Tx, id: string): Promise<TicketWithMessages | undefined> {
  if (!/^\d{1,19}$/.test(id)) return undefined;
  const row = await tx.selectFrom("tickets").select(TICKET_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  const [messages, attachments] = await Promise.all([
    tx.selectFrom("ticket_messages").selectAll().where("ticket_id", "=", id).orderBy("id").execute(),
    tx.selectFrom("ticket_attachments").selectAll().where("ticket_id", "=", id).orderBy("id").execute(),
  ]);
  const files = attachments.map(toAttachment);
  return {
    ...toTicket(row as TicketRow),
    messages: messages.map((m) => toMessage(m, files)),
    attachments: files.filter((a) => a.messageId === null),
  };
}

/** Search ids examined for one page at most; past that the page ends early and its cursor continues the search. */
const SEARCH_SCAN_LIMIT = 10_000;

/**
 * Ids of visible tickets matching `query` below `before`, newest first, at most `wanted`: tickets.search_ids
 * (indexed and newest-first; a search run as the user under RLS could not use the indexes).
 */
async function searchIds(tx: Tx, query: string, before: string | null, wanted: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select tickets.search_ids(${query}, ${before}::bigint, ${wanted}::integer)::text as id`.execute(tx);
  return rows.map((r) => r.id);
}

/** The condition "id is one of these" (ids from the database: digits only), looked up by primary key. */
function idIn(ids: readonly string[]) {
  return sql<boolean>`tickets.id = any(string_to_array(${ids.join(",")}, ',')::bigint[])`;
}

/**
 * A page of a list, newest first. `rowsOf(ids?)` runs the list's own query (its filters, RLS, a page and one),
 * restricted to `ids` when given. With a search `q`, the matching ids come from tickets.search_ids a few pages'
 * worth at a time; when the list's other filters leave the page short, older matches follow (4× as many each
 * round) until the page is full or the matches run out. After SEARCH_SCAN_LIMIT ids the page ends early, and
 * its cursor continues after the last id examined.
 */
async function listPage(
  tx: Tx,
  options: { q?: string; cursor?: string; limit?: number },
  rowsOf: (ids?: readonly string[]) => Promise<TicketRow[]>,
): Promise<Page<Ticket>> {
  const limit = pageSize(options.limit);
  const q = options.q?.trim();
  if (!q) return page(await rowsOf(), limit);
  const rows: TicketRow[] = [];
  let before = options.cursor ? decodeCursor(options.cursor, 1)[0] : null;
  let wanted = 2 * (limit + 1);
  let examined = 0;
  while (true) {
    const ids = await searchIds(tx, q, before, wanted);
    if (ids.length) rows.push(...await rowsOf(ids));
    examined += ids.length;
    if (rows.length > limit || ids.length < wanted) return page(rows, limit);
    before = ids[ids.length - 1];
    if (examined >= SEARCH_SCAN_LIMIT) {
      return { items: rows.map(toTicket), nextCursor: encodeCursor([before]) };
    }
    wanted = Math.min(wanted * 4, 5000);
  }
}

export interface CustomerListFilter {
  status?: TicketStatus;
  q?: string;
  cursor?: string;
  limit?: number;
}

/** The caller's own tickets, newest first: status filter, search, keyset pages (cursor = last id). */
export async function listCustomerTickets(
  tx: Tx,
  customerId: string,
  filter: CustomerListFilter = {},
): Promise<Page<Ticket>> {
  return await listPage(
    tx,
    filter,
    async (ids) => await customerTicketsQuery(tx, customerId, filter, ids).execute() as TicketRow[],
  );
}

/**
 * The query behind listCustomerTickets without its search: restricted to `ids` (search matches) when given
 * (exported so a test can EXPLAIN it).
 */
export function customerTicketsQuery(
  tx: Tx,
  customerId: string,
  filter: CustomerListFilter = {},
  ids?: readonly string[],
) {
  const limit = pageSize(filter.limit);
  let query = tx.selectFrom("tickets").select(TICKET_COLUMNS).where("customer_id", "=", customerId)
    .where("merged_into", "is", null);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (ids) query = query.where(idIn(ids));
  if (filter.cursor) query = query.where("id", "<", decodeCursor(filter.cursor, 1)[0]);
  return query.orderBy("id", "desc").limit(limit + 1);
}

export interface QueueOptions {
  /** mine (assigned to `agentId`), unassigned (open/reopened), at_risk (SLA warning or breach, unresolved), pending, all. */
  filter?: QueueFilter;
  /** Department code. */
  department?: string;
  status?: TicketStatus;
  tag?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

/** The staff queue (RLS: needs tickets.manage), newest first, keyset pages; `agentId` is the caller for "mine". */
export async function listQueue(tx: Tx, agentId: string, options: QueueOptions = {}): Promise<Page<Ticket>> {
  return await listPage(
    tx,
    options,
    async (ids) => await queueQuery(tx, agentId, options, ids).execute() as TicketRow[],
  );
}

/**
 * The query behind listQueue without its search: restricted to `ids` (search matches) when given (exported so
 * a test can EXPLAIN it).
 */
export function queueQuery(tx: Tx, agentId: string, options: QueueOptions = {}, ids?: readonly string[]) {
  const limit = pageSize(options.limit);
  let query = tx.selectFrom("tickets").select(TICKET_COLUMNS).where("merged_into", "is", null);
  switch (options.filter ?? "all") {
    case "mine":
      query = query.where("assignee_id", "=", agentId).where("status", "in", ["open", "pending", "reopened"]);
      break;
    case "unassigned":
      query = query.where("assignee_id", "is", null).where("status", "in", ["open", "reopened"]);
      break;
    case "at_risk":
      query = query.where((eb) => eb.or([eb("sla_warning", "=", true), eb("sla_breached", "=", true)]))
        .where("status", "in", ["open", "reopened"]);
      break;
    case "pending":
      query = query.where("status", "=", "pending");
      break;
  }
  if (options.department) {
    query = query.where(
      sql<
        boolean
      >`department_id = (select d.id from public.ticket_departments d where d.code = ${options.department})`,
    );
  }
  if (options.status) query = query.where("status", "=", options.status);
  if (options.tag) query = query.where(sql<boolean>`tags @> array[${options.tag}]::text[]`);
  if (ids) query = query.where(idIn(ids));
  if (options.cursor) query = query.where("id", "<", decodeCursor(options.cursor, 1)[0]);
  return query.orderBy("id", "desc").limit(limit + 1);
}

function page(rows: TicketRow[], limit: number): Page<Ticket> {
  const items = rows.slice(0, limit).map(toTicket);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
}

/** tickets.search: tickets matching `query` that the caller may see, newest first (max 200). */
export async function searchTickets(tx: Tx, query: string, limit = 50): Promise<Ticket[]> {
  const { rows } = await sql<TicketRow>`select * from tickets.search(${query}, ${limit}::integer)`.execute(
    tx,
  );
  return rows.map(toTicket);
}

export interface Department {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
}

/** Active departments (signed-in users), by id. */
export async function listDepartments(tx: Tx): Promise<Department[]> {
  const rows = await tx.selectFrom("ticket_departments").select(["id", "code", "name_fa", "name_en"])
    .where("active", "=", true).orderBy("id").execute();
  return rows.map((r) => ({ id: r.id, code: r.code, nameFa: r.name_fa, nameEn: r.name_en }));
}

export interface CannedResponse {
  id: string;
  departmentId: number | null;
  title: string;
  bodyFa: string;
  bodyEn: string;
}

/** Canned responses for a department (and those for every department); staff only by RLS. */
export async function listCannedResponses(tx: Tx, departmentId?: number): Promise<CannedResponse[]> {
  let query = tx.selectFrom("ticket_canned_responses").select([
    "id",
    "department_id",
    "title",
    "body_fa",
    "body_en",
  ]);
  if (departmentId !== undefined) {
    query = query.where((eb) =>
      eb.or([eb("department_id", "=", departmentId), eb("department_id", "is", null)])
    );
  }
  const rows = await query.orderBy("title").execute();
  return rows.map((r) => ({
    id: String(r.id),
    departmentId: r.department_id,
    title: r.title,
    bodyFa: r.body_fa,
    bodyEn: r.body_en,
  }));
}

/** tickets.normalize_search: the search folding (Arabic/Persian letters, ZWNJ, digits, diacritics). */
export async function normalizeSearch(tx: Tx, text: string): Promise<string> {
  const { rows } = await sql<{ folded: string }>`select tickets.normalize_search(${text}) as folded`.execute(
    tx,
  );
  return rows[0].folded;
}
