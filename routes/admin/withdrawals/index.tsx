// routes/admin/withdrawals/index.tsx — GET /admin/withdrawals (the queue by status), POST …/:id/approve (with the
// bank's reference) and …/:id/reject (with a reason); withdrawals.manage, audited
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import type { MessageKey } from "../../../lib/i18n/mod.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatDate, formatNumber, formatToman } from "../../../lib/i18n/format.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { getUserDetail } from "../../../lib/users/admin.ts";
import { listWithdrawals, type Withdrawal } from "../../../lib/wallet/withdrawals.ts";
import { approveWithdrawalAudited, rejectWithdrawalAudited } from "../../../lib/wallet/staff_actions.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { WITHDRAWAL_STATUSES } from "../../../lib/wallet/vocabulary.ts";
import { FormAlert } from "../../../components/forms/Field.tsx";
import { formValidator } from "../../../components/forms/validator.ts";
import { WithdrawalBadge } from "../../../components/wallet/WithdrawalBadge.tsx";
import { walletErrorText } from "../../wallet/_errors.ts";

const query = z.object({
  status: z.enum(WITHDRAWAL_STATUSES).default("pending"),
  cursor: z.string().max(200).optional(),
  notice: z.enum(["approved", "rejected"]).optional(),
  id: z.string().regex(/^\d{1,19}$/).optional(),
});
const params = z.object({ id: z.string().regex(/^[1-9][0-9]{0,18}$/) });
const approveForm = z.object({ bank_reference: z.string().trim().min(1).max(100) });
const rejectForm = z.object({ reason: z.string().trim().min(3).max(500) });

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

function Decide({ t, w }: { t: Translate; w: Withdrawal }) {
  return (
    <div class="withdrawal-decide">
      <form method="post" action={`/admin/withdrawals/${w.id}/approve`} class="inline-form">
        <label for={`ref-${w.id}`} class="visually-hidden">{t("admin.withdrawals.bankReference")}</label>
        <input
          id={`ref-${w.id}`}
          name="bank_reference"
          required
          maxLength={100}
          dir="ltr"
          placeholder={t("admin.withdrawals.bankReference")}
        />
        <button type="submit" class="button button-small">{t("admin.withdrawals.approve")}</button>
      </form>
      <form method="post" action={`/admin/withdrawals/${w.id}/reject`} class="inline-form">
        <label for={`reason-${w.id}`} class="visually-hidden">{t("admin.withdrawals.rejectReason")}</label>
        <input
          id={`reason-${w.id}`}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          placeholder={t("admin.withdrawals.rejectReason")}
        />
        <button type="submit" class="button button-danger button-small">
          {t("admin.withdrawals.reject")}
        </button>
      </form>
    </div>
  );
}

async function render(
  c: AppContext,
  q: z.infer<typeof query>,
  problem?: string,
  status?: 400 | 404 | 409 | 422,
) {
  const t = c.var.t;
  const locale = c.var.locale;
  const { page, emails } = await c.var.asUser(async (tx) => {
    const page = await listWithdrawals(tx, { status: q.status, cursor: q.cursor, limit: 20 });
    const emails = new Map<string, string>();
    for (const id of new Set(page.withdrawals.map((w) => w.userId).filter((u): u is string => !!u))) {
      emails.set(id, (await getUserDetail(tx, id))?.email ?? id);
    }
    return { page, emails };
  });
  return renderPage(
    c,
    <div class="stack">
      <p class="breadcrumbs">
        <a href="/admin">{t("admin.title")}</a>
      </p>
      <h1>{t("admin.withdrawals.title")}</h1>
      <p class="lead">{t("admin.withdrawals.lead")}</p>
      {q.notice && q.id && (
        <p class="alert alert-success" role="status">
          {t(`admin.withdrawals.notice.${q.notice}` as MessageKey, { id: q.id })}
        </p>
      )}
      <FormAlert kind="error" text={problem} />
      <nav class="status-tabs" aria-label={t("admin.withdrawals.filter")}>
        {WITHDRAWAL_STATUSES.map((s) => (
          <a href={`/admin/withdrawals?status=${s}`} aria-current={s === q.status ? "page" : undefined}>
            {t(`wallet.withdrawals.status.${s}` as MessageKey)}
          </a>
        ))}
      </nav>
      {page.withdrawals.length === 0
        ? <p class="alert alert-info">{t("admin.withdrawals.empty")}</p>
        : (
          <div class="table-wrap">
            <table class="table admin-withdrawals">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("wallet.column.date")}</th>
                  <th scope="col">{t("admin.withdrawals.user")}</th>
                  <th scope="col" class="num">{t("wallet.column.amount")}</th>
                  <th scope="col">{t("wallet.withdrawals.column.iban")}</th>
                  <th scope="col">{t("wallet.withdrawals.column.status")}</th>
                </tr>
              </thead>
              <tbody>
                {page.withdrawals.map((w) => (
                  <>
                    <tr data-withdrawal={w.id}>
                      <td>{formatNumber(BigInt(w.id), locale)}</td>
                      <td>{formatDate(w.createdAt, locale, { time: true })}</td>
                      <td>
                        {w.userId
                          ? <a href={`/admin/wallets/${w.userId}`} dir="ltr">{emails.get(w.userId)}</a>
                          : "—"}
                      </td>
                      <td class="num">{formatToman(w.amount, locale)}</td>
                      <td>
                        <bdi class="ltr-inline">{w.iban}</bdi>
                      </td>
                      <td>
                        <WithdrawalBadge t={t} status={w.status} /> {w.bankReference ?? w.reviewNote ?? ""}
                      </td>
                    </tr>
                    {w.status === "pending" && (
                      <tr class="decide-row">
                        <td colSpan={6}>
                          <Decide t={t} w={w} />
                        </td>
                      </tr>
                    )}
                  </>
                ))}
              </tbody>
            </table>
          </div>
        )}
      {page.nextCursor && (
        <nav class="pagination" aria-label={t("admin.pagination")}>
          <span></span>
          <a href={`/admin/withdrawals?status=${q.status}&cursor=${page.nextCursor}`} rel="next">
            {t("admin.nextPage")}
          </a>
        </nav>
      )}
    </div>,
    { title: t("admin.withdrawals.title"), status },
  );
}

/** A decision the ledger refused (already decided, not found) is shown on the queue. */
async function decided(
  c: AppContext,
  id: string,
  notice: "approved" | "rejected",
  act: () => Promise<unknown>,
) {
  try {
    await act();
  } catch (error) {
    if (!walletErrors.is(error)) throw error;
    return await render(c, { status: "pending" }, walletErrorText(c, error), error.status as 404 | 409 | 422);
  }
  return c.redirect(`/admin/withdrawals?notice=${notice}&id=${id}`, 303);
}

const badForm = (key: MessageKey) => (c: AppContext) => render(c, { status: "pending" }, c.var.t(key), 400);

export const adminWithdrawals = new Hono<AppEnv>()
  .use("/", requirePermission("withdrawals.manage"))
  .use("/*", requirePermission("withdrawals.manage"))
  .get("/", validate("query", query), (c) => render(c, c.req.valid("query")))
  .post(
    "/:id/approve",
    validate("param", params),
    formValidator(approveForm, badForm("form.error.bankReference")),
    async (c) => {
      const id = c.req.valid("param").id;
      const { bank_reference } = c.req.valid("form");
      return await decided(
        c,
        id,
        "approved",
        () =>
          approveWithdrawalAudited(
            c.var.user(),
            { withdrawalId: id, bankReference: bank_reference },
            requestContext(c),
          ),
      );
    },
  )
  .post(
    "/:id/reject",
    validate("param", params),
    formValidator(rejectForm, badForm("form.error.reason")),
    async (c) => {
      const id = c.req.valid("param").id;
      const { reason } = c.req.valid("form");
      return await decided(
        c,
        id,
        "rejected",
        () => rejectWithdrawalAudited(c.var.user(), { withdrawalId: id, reason }, requestContext(c)),
      );
    },
  );
