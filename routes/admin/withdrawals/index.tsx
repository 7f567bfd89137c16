// routes/admin/withdrawals/index.tsx — GET /admin/withdrawals (the queue: filters, keyset pages, CSV link) and
// POST /admin/withdrawals/bulk (approve or reject the ticked pending withdrawals, one audited decision each:
// the ledger applies four eyes to every one); withdrawals.manage
import { Hono } from "hono";
import { z } from "zod";
import { int8Id, text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { optionalField } from "../../../lib/http/form_fields.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { formatId, formatNumber } from "../../../lib/i18n/format.ts";
import { isMessageKey } from "../../../lib/i18n/mod.ts";
import {
  type BulkDecision,
  decideWithdrawals,
  listWithdrawalQueue,
} from "../../../lib/wallet/withdrawal_queue.ts";
import { WithdrawalsQueuePage } from "../../../components/wallet/WithdrawalsQueuePage.tsx";
import { filterParams, filterQuery, queueFilter } from "./_filters.ts";
import { hasDayErrors, readDayRange } from "../../../lib/i18n/day_range.ts";

const idList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(int8Id).max(100),
);
const count = optionalField(z.coerce.number().int().min(0).max(100));
const query = filterQuery.extend({
  notice: z.enum(["approved", "rejected", "first_approval"]).optional(),
  id: int8Id.optional(),
  paid: count,
  first: count,
  rejected: count,
  // The withdrawals a bulk decision left undecided, as id:code pairs.
  refused: optionalField(text().max(3000).regex(/^[0-9]{1,19}:[a-z_]{1,40}(,[0-9]{1,19}:[a-z_]{1,40})*$/)),
});
const bulkForm = z.object({
  id: idList,
  action: z.enum(["approve", "reject"]),
  bank_reference: optionalField(text().trim().min(1).max(100)),
  reason: optionalField(text().trim().min(3).max(500)),
});

type Query = z.infer<typeof query>;

/** The refused withdrawals in words: "#12: The second approval must come from another staff member." */
function refusedText(c: AppContext, refused: string): string {
  const { t, locale } = c.var;
  const list = refused.split(",").map((pair) => {
    const [id, code] = pair.split(":");
    const key = `wallet.error.${code}`;
    const apiKey = `api.error.${code}`;
    const reason = isMessageKey(key) ? t(key) : isMessageKey(apiKey) ? t(apiKey) : code;
    return `${t("admin.withdrawals.open", { id: formatId(id, locale) })}: ${reason}`;
  });
  return t("admin.withdrawals.bulk.refused", { list: list.join(" · ") });
}

async function render(c: AppContext, q: Query, problem?: string, status?: 400) {
  const days = readDayRange(q);
  const { page, emails } = await c.var.asUser((tx) =>
    listWithdrawalQueue(tx, queueFilter(q, days), { cursor: q.cursor, limit: 20 })
  );
  const { t, locale } = c.var;
  const n = (value: number | undefined) => formatNumber(value ?? 0, locale);
  const decided = q.paid !== undefined || q.first !== undefined || q.rejected !== undefined;
  const bulk = {
    done: decided
      ? t("admin.withdrawals.bulk.done", { paid: n(q.paid), first: n(q.first), rejected: n(q.rejected) })
      : undefined,
    refused: q.refused ? refusedText(c, q.refused) : undefined,
    problem,
  };
  const notice = q.notice && q.id ? { kind: q.notice, id: q.id } : undefined;
  return renderPage(
    c,
    <WithdrawalsQueuePage
      t={t}
      locale={locale}
      {...{ filters: filterParams(q), days, page, emails, cursor: q.cursor, notice, bulk }}
    />,
    { title: t("admin.withdrawals.title"), status: status ?? (hasDayErrors(days) ? 400 : undefined) },
  );
}

const pendingQueue = { status: "pending" } as Query;

export const adminWithdrawals = new Hono<AppEnv>()
  .use("/", requirePermission("withdrawals.manage"))
  .use("/*", requirePermission("withdrawals.manage"))
  .get("/", validate("query", query), (c) => render(c, c.req.valid("query")))
  .post("/bulk", validate("form", bulkForm), async (c) => {
    const form = c.req.valid("form");
    const { t } = c.var;
    if (form.id.length === 0) return await render(c, pendingQueue, t("admin.withdrawals.bulk.none"), 400);
    let decision: BulkDecision;
    if (form.action === "approve") {
      if (!form.bank_reference) return await render(c, pendingQueue, t("form.error.bankReference"), 400);
      decision = { action: "approve", bankReference: form.bank_reference };
    } else {
      if (!form.reason) return await render(c, pendingQueue, t("form.error.reason"), 400);
      decision = { action: "reject", reason: form.reason };
    }
    const outcome = await decideWithdrawals(c.var.user(), [...new Set(form.id)], decision, requestContext(c));
    const params = new URLSearchParams({
      status: "pending",
      paid: String(outcome.paid.length),
      first: String(outcome.firstApprovals.length),
      rejected: String(outcome.rejected.length),
    });
    if (outcome.refused.length) {
      params.set(
        "refused",
        outcome.refused.map((r) => `${r.id}:${r.code}`).join(","),
      );
    }
    return c.redirect(`/admin/withdrawals?${params}`, 303);
  });
