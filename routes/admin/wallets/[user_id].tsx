// routes/admin/wallets/[user_id].tsx — GET /admin/wallets/:user_id (a customer's balances and history),
// POST /admin/wallets/:user_id/adjust (wallet.adjust: signed amount with a mandatory reason, audited)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formatToman } from "../../../lib/i18n/format.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { can } from "../../../lib/auth/viewer.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { getUserDetail } from "../../../lib/users/admin.ts";
import { walletSummary } from "../../../lib/wallet/summary.ts";
import { listEntries } from "../../../lib/wallet/entries.ts";
import { adjustWallet } from "../../../lib/wallet/staff_actions.ts";
import { walletErrors } from "../../../lib/wallet/errors.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import type { FieldErrors } from "../../../lib/http/form_errors.ts";
import { FieldError, FormAlert } from "../../../components/forms/Field.tsx";
import { EntriesTable } from "../../../components/wallet/EntriesTable.tsx";
import { AmountField } from "../../../components/ui/AmountField.tsx";
import { signedTomansField } from "../../../components/wallet/tomans.ts";
import { walletErrorKey, walletErrorText } from "../../wallet/_errors.ts";
import { walletLookup } from "./index.tsx";
import { userErrors } from "../../../lib/users/errors.ts";

const params = z.object({ user_id: z.uuid() });
const query = z.object({ cursor: text().max(200).optional(), notice: z.enum(["adjusted"]).optional() });
const form = z.object({
  tomans: signedTomansField,
  reason: text().trim().min(3, "form.error.reason").max(500, "form.error.reason"),
  key: z.uuid(),
});

interface State {
  cursor?: string;
  notice?: "adjusted";
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: string;
  status?: 200 | 400 | 422;
}

async function render(c: AppContext, userId: string, state: State = {}) {
  const t = c.var.t;
  const locale = c.var.locale;
  const { user, wallet, page } = await c.var.asUser(async (tx) => ({
    user: await getUserDetail(tx, userId),
    wallet: await walletSummary(tx, userId),
    page: await listEntries(tx, { userId, cursor: state.cursor, limit: 20 }),
  }));
  if (!user) throw userErrors.refuse("user_not_found");
  const { values = {}, errors = {} } = state;
  const err = (name: string) => errors[name] && t(errors[name]!);
  const base = `/admin/wallets/${userId}`;
  return renderPage(
    c,
    <div class="stack">
      <p class="breadcrumbs">
        <a href="/admin">{t("admin.title")}</a> › <a href="/admin/wallets">{t("admin.wallets.title")}</a>
      </p>
      <h1>{t("admin.wallets.detailTitle", { email: user.email })}</h1>
      {state.notice && <p class="alert alert-success" role="status">{t("admin.wallets.notice.adjusted")}</p>}
      <ul class="stats wallet-stats">
        {([["wallet.balance", wallet.balance], ["wallet.held", wallet.held], [
          "wallet.available",
          wallet.available,
        ]] as const)
          .map(([label, rials]) => (
            <li class="card stat">
              <span class="label">{t(label)}</span>
              <span class="value" data-rials={String(rials)}>{formatToman(rials, locale)}</span>
            </li>
          ))}
      </ul>
      {can(c.var.viewer, "wallet.adjust") && (
        <section class="card narrow stack" aria-labelledby="adjust-title">
          <h2 id="adjust-title">{t("admin.wallets.adjustTitle")}</h2>
          <p>{t("admin.wallets.adjustLead")}</p>
          <FormAlert kind="error" text={state.problem} />
          <form method="post" action={`${base}/adjust`} novalidate>
            <input type="hidden" name="key" value={values.key || crypto.randomUUID()} />
            <AmountField
              t={t}
              locale={locale}
              id="adjust-tomans"
              signed
              label={t("admin.wallets.adjustAmount")}
              value={values.tomans}
              error={err("tomans")}
            />
            <div class="field">
              <label for="adjust-reason">{t("admin.wallets.reason")}</label>
              <p class="hint" id="adjust-reason-hint">{t("admin.wallets.reasonHint")}</p>
              <textarea
                id="adjust-reason"
                name="reason"
                rows={2}
                maxLength={500}
                required
                aria-invalid={errors.reason ? "true" : undefined}
                aria-describedby={`adjust-reason-hint${errors.reason ? " adjust-reason-error" : ""}`}
              >
                {values.reason ?? ""}
              </textarea>
              <FieldError id="adjust-reason" text={err("reason")} />
            </div>
            <div class="form-actions">
              <button type="submit" class="button">{t("admin.wallets.adjustSubmit")}</button>
            </div>
          </form>
        </section>
      )}
      <section class="card stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("wallet.history")}</h2>
        {page.entries.length === 0
          ? <p class="alert alert-info">{t("wallet.emptyFiltered")}</p>
          : <EntriesTable t={t} locale={locale} entries={page.entries} caption={t("wallet.history")} />}
        <nav class="pagination" aria-label={t("wallet.pagination")}>
          {state.cursor ? <a href={base}>{t("wallet.newest")}</a> : <span></span>}
          {page.nextCursor && <a href={`${base}?cursor=${page.nextCursor}`} rel="next">{t("wallet.older")}
          </a>}
        </nav>
      </section>
    </div>,
    { title: t("admin.wallets.detailTitle", { email: user.email }), status: state.status },
  );
}

const invalid = (c: AppContext, errors: FieldErrors, values: Record<string, string>) =>
  render(c, c.req.param("user_id")!, { values, errors, problem: c.var.t("form.errorSummary"), status: 400 });

export const adminWallet = new Hono<AppEnv>()
  .get(
    "/:user_id",
    walletLookup,
    validate("param", params),
    validate("query", query),
    (c) => render(c, c.req.valid("param").user_id, c.req.valid("query")),
  )
  .post(
    "/:user_id/adjust",
    requirePermission("wallet.adjust"),
    validate("param", params),
    formValidator(form, invalid),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const input = c.req.valid("form");
      try {
        await adjustWallet(c.var.user(), {
          userId,
          amount: input.tomans,
          reason: input.reason,
          idempotencyKey: `adjust-form:${input.key}`,
        }, requestContext(c));
      } catch (error) {
        if (!walletErrors.is(error)) throw error;
        const values = (await c.req.parseBody()) as Record<string, string>;
        const field = error.code === "reason_required" ? "reason" : "tomans";
        return await render(c, userId, {
          values: error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values,
          errors: { [field]: walletErrorKey(error) },
          problem: walletErrorText(c, error),
          status: 422,
        });
      }
      return c.redirect(`/admin/wallets/${userId}?notice=adjusted`, 303);
    },
  );
