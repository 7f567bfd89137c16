// routes/wallet/_query.ts — the wallet history's filters (kind, from, to) as the page, the CSV and links share them
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import { optionalField } from "../../lib/http/form_fields.ts";
import { TRANSACTION_KINDS } from "../../lib/wallet/vocabulary.ts";
import { typedDay } from "../../lib/i18n/day_range.ts";

export const historyQuery = z.object({
  kind: optionalField(z.enum(TRANSACTION_KINDS)),
  // Read by readDayRange: a bad day is an inline error on the page, a 400 for the export.
  from: typedDay,
  to: typedDay,
  cursor: optionalField(text().max(200)),
});

export type HistoryQuery = z.infer<typeof historyQuery>;

/** Query string of the filters (and a cursor), for pagination and export links. */
export function filterParams(q: HistoryQuery, cursor?: string): string {
  const params = new URLSearchParams();
  if (q.kind) params.set("kind", q.kind);
  if (q.from) params.set("from", q.from);
  if (q.to) params.set("to", q.to);
  if (cursor) params.set("cursor", cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}
