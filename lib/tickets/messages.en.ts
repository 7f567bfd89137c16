/**
 * English messages of the help desk (tickets). Keys must match messages.fa.ts (a test checks parity);
 * lib/i18n/en.ts collects them. Refusal texts are `api.error.<code>` for the codes in ./errors.ts.
 */
export const en = {
  "api.error.ticket_not_found": "No such ticket.",
  "api.error.ticket_invalid_transition": "The ticket cannot move to that status.",
  "api.error.ticket_not_permitted": "You are not allowed to do this with the ticket.",
  "api.error.ticket_internal_not_allowed": "Only support staff can write internal notes.",
  "api.error.ticket_link_not_owned": "The linked payment or withdrawal is not one of yours.",
  "api.error.ticket_reopen_window_closed":
    "A ticket can be reopened within 7 days of being resolved or closed.",
  "api.error.ticket_already_rated": "You have already rated this ticket.",
  "api.error.ticket_not_ratable": "A ticket can be rated once it is resolved or closed.",
  "api.error.ticket_merge_invalid":
    "These tickets cannot be merged: they must be two different tickets of the same customer, neither merged already.",
  "api.error.ticket_invalid_input": "The ticket details are not valid.",
  "api.error.ticket_not_authenticated": "Sign in to use support tickets.",
  "api.error.ticket_unknown_department": "No such department.",
  "api.error.ticket_invalid_assignee": "That user cannot work on tickets.",
  "api.error.ticket_merged": "This ticket was merged into another one; continue there.",
  "api.error.ticket_closed": "This ticket is closed; reopen it to reply.",
  // tk-customer: the thread (components/tickets/Thread.tsx) and the customer pages
  "tickets.thread.label": "Conversation",
  "tickets.thread.internal": "Internal note",
  "tickets.thread.attachments": "Attachments",
} as const;
