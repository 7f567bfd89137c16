// routes/admin/withdrawals/_filters.ts — the query string of the staff withdrawal queue and its CSV export
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import { givenParams, optionalField } from "../../../lib/http/form_fields.ts";
import { calendarDay } from "../../../lib/i18n/calendar_date.ts";
import { WITHDRAWAL_STATUSES } from "../../../lib/wallet/vocabulary.ts";
import type { WithdrawalFilter } from "../../../lib/wallet/withdrawal_queue.ts";
import { asciiDigits } from "../../../components/wallet/tomans.ts";

/** Whole tomans typed in any digits, as a string of ASCII digits (rials are computed in `queueFilter`). */
const tomans = text().transform(asciiDigits).pipe(text().regex(/^[0-9]{1,15}$/, "form.error.amountTomans"));

export const filterQuery = z.object({
  status: z.preprocess(
    (v) => v === "" || v === undefined ? "pending" : v,
    z.enum([...WITHDRAWAL_STATUSES, "all"]),
  ),
  from: optionalField(calendarDay),
  to: optionalField(calendarDay),
  min: optionalField(tomans),
  max: optionalField(tomans),
  user: optionalField(text().trim().max(320)),
  cursor: optionalField(text().max(200)),
});

export type FilterQuery = z.infer<typeof filterQuery>;

export function queueFilter(q: FilterQuery): WithdrawalFilter {
  return {
    status: q.status === "all" ? undefined : q.status,
    from: q.from,
    to: q.to,
    min: q.min === undefined ? undefined : BigInt(q.min) * 10n,
    max: q.max === undefined ? undefined : BigInt(q.max) * 10n,
    user: q.user,
  };
}

/** The filters as query parameters (empty ones left out), for links that keep them. */
export function filterParams(q: FilterQuery): Record<string, string> {
  const { cursor: _, ...rest } = q;
  return givenParams(rest);
}
