// routes/admin/payments/_filters.ts — the query string of the staff payment list and its CSV export
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import { givenParams, optionalField } from "../../../lib/http/form_fields.ts";
import { typedDay } from "../../../lib/i18n/day_range.ts";
import { PAYMENT_STATUSES } from "../../../lib/payments/store.ts";
import type { StaffFilter } from "../../../lib/payments/queries.ts";

export const filterQuery = z.object({
  q: optionalField(text().trim().max(320)),
  status: optionalField(z.enum(PAYMENT_STATUSES)),
  review: optionalField(z.literal("on")),
  // Read by readDayRange: a bad day is an inline error on the page, a 400 for the export.
  from: typedDay,
  to: typedDay,
  after: optionalField(text().max(200)),
});

export type FilterQuery = z.infer<typeof filterQuery>;

export function staffFilter(q: FilterQuery): StaffFilter {
  return { q: q.q, status: q.status, review: q.review === "on", from: q.from, to: q.to };
}

/** The filters as query parameters (empty ones left out), for links that keep them. */
export function filterParams(q: FilterQuery): Record<string, string> {
  const { after: _, ...rest } = q;
  return givenParams(rest);
}
