// routes/admin/payments/_filters.ts — the query string of the staff payment list and its CSV export
import { z } from "zod";
import { calendarDay } from "../../../lib/i18n/calendar_date.ts";
import { PAYMENT_STATUSES } from "../../../lib/payments/store.ts";
import type { StaffFilter } from "../../../lib/payments/queries.ts";

const blankToUndefined = (v: unknown) => v === "" ? undefined : v;

export const filterQuery = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(320).optional()),
  status: z.preprocess(blankToUndefined, z.enum(PAYMENT_STATUSES).optional()),
  review: z.preprocess(blankToUndefined, z.literal("on").optional()),
  from: z.preprocess(blankToUndefined, calendarDay.optional()),
  to: z.preprocess(blankToUndefined, calendarDay.optional()),
  after: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});

export type FilterQuery = z.infer<typeof filterQuery>;

export function staffFilter(q: FilterQuery): StaffFilter {
  return { q: q.q, status: q.status, review: q.review === "on", from: q.from, to: q.to };
}

/** The filters as query parameters (empty ones left out), for links that keep them. */
export function filterParams(q: FilterQuery): Record<string, string> {
  const { after: _, ...rest } = q;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v)) as Record<string, string>;
}
