/**
 * The tickets domain's refusals, raised by the SQL API in schema `tickets` with SQLSTATEs TKxxx
 * (supabase/migrations/20261129170000_create_tickets.sql lists them). Another user's ticket is always
 * `ticket_not_found` (404), never a 403.
 */
import { defineRefusals } from "../errors.ts";

export const ticketErrors = defineRefusals("tickets", {
  ticket_not_found: { status: 404, sqlstate: "TK001", message: "No such ticket." },
  ticket_invalid_transition: {
    status: 409,
    sqlstate: "TK002",
    message: "The ticket cannot move to that status.",
  },
  ticket_not_permitted: { status: 403, sqlstate: "TK003", message: "You are not allowed to do this." },
  ticket_internal_not_allowed: {
    status: 403,
    sqlstate: "TK004",
    message: "Only staff can write internal notes.",
  },
  ticket_link_not_owned: {
    status: 422,
    sqlstate: "TK005",
    message: "The linked payment or withdrawal is not yours.",
  },
  ticket_reopen_window_closed: {
    status: 409,
    sqlstate: "TK006",
    message: "A ticket can be reopened within 7 days of being resolved or closed.",
  },
  ticket_already_rated: { status: 409, sqlstate: "TK007", message: "This ticket was rated already." },
  ticket_not_ratable: {
    status: 409,
    sqlstate: "TK008",
    message: "Only a resolved or closed ticket can be rated.",
  },
  ticket_merge_invalid: { status: 409, sqlstate: "TK009", message: "These tickets cannot be merged." },
  ticket_invalid_input: { status: 400, sqlstate: "TK010", message: "The input is not valid." },
  ticket_not_authenticated: { status: 401, sqlstate: "TK011", message: "Sign-in required" },
  ticket_unknown_department: { status: 422, sqlstate: "TK012", message: "No such department." },
  ticket_invalid_assignee: { status: 422, sqlstate: "TK013", message: "That user cannot work tickets." },
  ticket_merged: { status: 409, sqlstate: "TK014", message: "This ticket was merged into another one." },
  ticket_closed: { status: 409, sqlstate: "TK015", message: "This ticket is closed; reopen it to reply." },
  // tk-customer: attachments (supabase/migrations/20261129181000_create_ticket_attachments_bucket.sql)
  ticket_attachment_missing: { status: 422, sqlstate: "TK016", message: "The file was not uploaded." },
  ticket_attachment_too_large: { status: 413, sqlstate: "TK017", message: "The file is larger than 10 MB." },
  ticket_attachment_type: {
    status: 415,
    sqlstate: "TK018",
    message: "Only PNG, JPEG, WebP, PDF and plain-text files can be attached.",
  },
}, "TK");
