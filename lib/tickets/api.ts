/**
 * The help desk's slice of the JSON API (/api/v1/tickets): the zod schemas its routes validate with (every
 * input, so hostile input is a 400 before any SQL: ids are int8 strings within range, text has no NUL), the
 * presenters (snake_case; ids as strings; a customer never sees staff-only fields nor internal notes) and
 * the OpenAPI operations, including the SSE stream GET /tickets/{id}/events.
 */
import { z } from "zod";
import { registerOperations, registerTag } from "../api/openapi.ts";
import { int8Id, text as storableText } from "../http/schemas.ts";
import type { Department, Ticket, TicketAttachment, TicketMessage, TicketWithMessages } from "./store.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "./store.ts";
import { MAX_FILES_PER_MESSAGE } from "./attachments.ts";

// ---- Schemas -------------------------------------------------------------------------------------------

/** A bigint id as a string: 1 … 2^63-1 (the one shared id schema). */
export const TicketId = int8Id.describe("A numeric id, as a string.");
const Timestamp = z.iso.datetime({ offset: true });

/** Trimmed text of `min`..`max` characters that Postgres stores as given (no NUL, no lone surrogate). */
function text(min: number, max: number) {
  return storableText().trim().min(min).max(max);
}

const Status = z.enum(TICKET_STATUSES);
const Priority = z.enum(TICKET_PRIORITIES);
const DepartmentCode = z.string().regex(/^[a-z][a-z_]{1,31}$/).describe(
  "A department code, e.g. payments, technical, general.",
);
const Tag = text(1, 32);

export const OpenTicketBody = z.strictObject({
  subject: text(1, 200),
  body: text(1, 20000),
  department: DepartmentCode.optional().describe("Default general."),
  priority: Priority.optional().describe("Default normal."),
  payment_id: TicketId.optional().describe("One of the caller's own payments."),
  withdrawal_id: TicketId.optional().describe("One of the caller's own withdrawals."),
});

export const TicketsQuery = z.object({
  status: Status.optional(),
  q: storableText().max(200).optional()
    .describe("Search in subject, body and number (Arabic/Persian letters, ZWNJ, digits folded)."),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const TicketParam = z.object({ id: TicketId });

/** A file already uploaded to Storage, to record on a message. */
const AttachmentRef = z.strictObject({
  path: storableText().max(300).regex(/^[1-9][0-9]{0,17}\/[^/\\]{1,255}$/).describe(
    "The object's name in bucket ticket-attachments: {ticket_id}/{file}, uploaded by the caller with the same access token (Storage API, e.g. supabase-js storage.from('ticket-attachments').upload).",
  ),
  name: text(1, 255).optional().describe("The file name shown in the thread; default the path's file part."),
});

export const MessageBody = z.strictObject({
  body: text(1, 20000),
  internal: z.boolean().optional().describe("An internal note (staff only): customers never see it."),
  attachments: z.array(AttachmentRef).max(MAX_FILES_PER_MESSAGE).optional().describe(
    `Up to ${MAX_FILES_PER_MESSAGE} files for the message. The bucket takes PNG, JPEG, WebP, PDF and plain text up to 10 MB; size and type are read from the stored object. A note's files stay staff-only (Storage's policies).`,
  ),
});

export const UpdateTicketBody = z.strictObject({
  status: Status.optional().describe("Customers may only set closed or reopened."),
  assignee_id: z.uuid().nullable().optional().describe("Staff only; null unassigns."),
  priority: Priority.optional().describe("Staff only."),
  department: DepartmentCode.optional().describe("Staff only."),
  tags: z.array(Tag).max(20).optional().describe("Staff only; replaces the tags."),
}).refine((b) => Object.values(b).some((v) => v !== undefined), "send at least one field");

export const RatingBody = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: text(0, 2000).optional(),
});

const Attachment = z.object({ path: z.string(), name: z.string(), size: z.number().int(), mime: z.string() });
const Message = z.object({
  id: TicketId,
  author_role: z.enum(["customer", "staff"]),
  body: z.string(),
  internal: z.boolean(),
  created_at: Timestamp,
  attachments: z.array(Attachment),
});
const TicketJson = z.object({
  id: TicketId,
  number: z.string(),
  status: Status,
  subject: z.string(),
  body: z.string(),
  department: z.string(),
  priority: Priority,
  payment_id: TicketId.nullable(),
  withdrawal_id: TicketId.nullable(),
  merged_into: TicketId.nullable().describe("Set when merged: the surviving ticket."),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
  first_response_due_at: Timestamp.nullable(),
  resolution_due_at: Timestamp.nullable(),
  assignee_id: z.uuid().nullable().optional().describe("Staff only."),
  tags: z.array(z.string()).optional().describe("Staff only."),
  sla_warning: z.boolean().optional().describe("Staff only."),
  sla_breached: z.boolean().optional().describe("Staff only."),
});
const TicketDetail = TicketJson.extend({ messages: z.array(Message), attachments: z.array(Attachment) });
const TicketsPage = z.object({ items: z.array(TicketJson), next_cursor: z.string().nullable() });

// ---- Presenters ----------------------------------------------------------------------------------------

function attachmentJson(a: TicketAttachment) {
  return { path: a.path, name: a.name, size: a.size, mime: a.mime };
}

/** A thread message; "system" messages (none are written yet) count as the help desk's side. */
export function messageJson(m: TicketMessage) {
  return {
    id: m.id,
    author_role: m.authorRole === "customer" ? "customer" as const : "staff" as const,
    body: m.body,
    internal: m.internal,
    created_at: m.createdAt.toISOString(),
    attachments: m.attachments.map(attachmentJson),
  };
}

/** A ticket; `staff` adds the fields only the help desk sees (assignee, tags, SLA flags). */
export function ticketJson(t: Ticket, departments: readonly Department[], staff: boolean) {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    subject: t.subject,
    body: t.body,
    department: departments.find((d) => d.id === t.departmentId)?.code ?? String(t.departmentId),
    priority: t.priority,
    payment_id: t.paymentId,
    withdrawal_id: t.withdrawalId,
    merged_into: t.mergedInto,
    rating: t.csatScore === null ? null : { score: t.csatScore, comment: t.csatComment },
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    first_response_due_at: t.firstResponseDueAt?.toISOString() ?? null,
    resolution_due_at: t.resolutionDueAt?.toISOString() ?? null,
    ...(staff
      ? { assignee_id: t.assigneeId, tags: t.tags, sla_warning: t.slaWarning, sla_breached: t.slaBreached }
      : {}),
  };
}

/** A ticket with its thread. Internal notes are dropped for a customer (RLS already hides them: twice safe). */
export function ticketDetailJson(t: TicketWithMessages, departments: readonly Department[], staff: boolean) {
  return {
    ...ticketJson(t, departments, staff),
    messages: t.messages.filter((m) => staff || !m.internal).map(messageJson),
    attachments: t.attachments.map(attachmentJson),
  };
}

// ---- OpenAPI operations --------------------------------------------------------------------------------

registerTag("tickets", "Support tickets: a customer's own tickets, or the help desk queue for ticket staff.");

const NOT_FOUND = "ticket_not_found";

registerOperations("tickets", [
  {
    method: "post",
    path: "/tickets",
    operationId: "createTicket",
    summary: "Open a ticket (SLA due dates set, assigned round-robin)",
    tag: "tickets",
    auth: "user",
    body: OpenTicketBody,
    response: TicketJson,
    status: 201,
    errors: ["ticket_link_not_owned", "ticket_unknown_department", "ticket_invalid_input"],
  },
  {
    method: "get",
    path: "/tickets",
    operationId: "listTickets",
    summary: "My tickets, or the queue for ticket staff, newest first (keyset pagination)",
    tag: "tickets",
    auth: "user",
    query: TicketsQuery,
    response: TicketsPage,
    errors: ["invalid_cursor"],
  },
  {
    method: "get",
    path: "/tickets/{id}",
    operationId: "getTicket",
    summary: "A ticket and its thread (internal notes only for ticket staff)",
    tag: "tickets",
    auth: "user",
    params: TicketParam,
    response: TicketDetail,
    errors: [NOT_FOUND],
  },
  {
    method: "patch",
    path: "/tickets/{id}",
    operationId: "updateTicket",
    summary: "Change status, assignee, priority, department or tags (customers: close and reopen only)",
    tag: "tickets",
    auth: "user",
    params: TicketParam,
    body: UpdateTicketBody,
    response: TicketJson,
    errors: [
      NOT_FOUND,
      "ticket_not_permitted",
      "ticket_invalid_transition",
      "ticket_reopen_window_closed",
      "ticket_merged",
      "ticket_invalid_assignee",
      "ticket_unknown_department",
      "ticket_invalid_input",
    ],
  },
  {
    method: "post",
    path: "/tickets/{id}/messages",
    operationId: "createTicketMessage",
    summary: "Reply on a ticket, or (ticket staff) add an internal note; with files uploaded to Storage",
    tag: "tickets",
    auth: "user",
    params: TicketParam,
    body: MessageBody,
    response: Message,
    status: 201,
    errors: [
      NOT_FOUND,
      "ticket_internal_not_allowed",
      "ticket_closed",
      "ticket_merged",
      "ticket_invalid_input",
      "ticket_attachment_missing",
      "ticket_attachment_too_large",
      "ticket_attachment_type",
    ],
  },
  {
    method: "post",
    path: "/tickets/{id}/rating",
    operationId: "rateTicket",
    summary: "Rate a resolved or closed ticket (CSAT 1-5 and a comment), once",
    tag: "tickets",
    auth: "user",
    params: TicketParam,
    body: RatingBody,
    response: TicketJson,
    status: 201,
    errors: [
      NOT_FOUND,
      "ticket_not_permitted",
      "ticket_already_rated",
      "ticket_not_ratable",
      "ticket_invalid_input",
    ],
  },
  {
    method: "get",
    path: "/tickets/{id}/events",
    operationId: "streamTicketEvents",
    summary: "Server-sent events: one `message` event (data: the message JSON) per new visible message",
    tag: "tickets",
    auth: "user",
    params: TicketParam,
    response: Message,
    contentType: "text/event-stream",
    errors: [NOT_FOUND],
  },
]);
