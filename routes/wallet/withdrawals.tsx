// routes/wallet/withdrawals.tsx — GET /wallet/withdrawals (request form and my withdrawals), POST (request,
// idempotent per form), POST /wallet/withdrawals/:id/cancel (while pending)
import { z } from "zod";
import type { AppContext } from "../../lib/http/env.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { asUser } from "../../lib/db/client.ts";
import { formatDate, formatToman } from "../../lib/i18n/format.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { cancelWithdrawal, listWithdrawals, requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { isValidIban, normalizeIban } from "../../lib/wallet/iban.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { formValidator } from "../../components/forms/validator.ts";
import type { FieldErrors } from "../../components/forms/form_errors.ts";
import { FieldError, FormAlert, TextField } from "../../components/forms/Field.tsx";
import { tomansField } from "../../components/wallet/tomans.ts";
import { WithdrawalBadge } from "../../components/wallet/WithdrawalBadge.tsx";
import { walletErrorKey, walletErrorText } from "./_errors.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

const form = z.object({
  tomans: tomansField,
  iban: z.string().max(60, "form.error.iban")
    .refine((v) => /^IR[0-9]{24}$/.test(normalizeIban(v)), "form.error.iban")
    .refine(isValidIban, "form.error.ibanChecksum"),
  key: z.uuid(),
});
const query = z.object({
  notice: z.enum(["requested", "cancelled"]).optional(),
  cursor: z.string().max(200).optional(),
});
const idParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,18}$/) });

type Values = Partial<Record<"tomans" | "iban" | "key", string>>;

interface State extends z.infer<typeof query> {
  values?: Values;
  errors?: FieldErrors;
  problem?: string;
  status?: 200 | 400 | 422;
}

async function render(c: AppContext, state: State = {}) {
  const t = c.var.t;
  const locale = c.var.locale;
  const { notice, cursor, values = {}, errors = {}, problem } = state;
  const [wallet, page] = await c.var.asUser(async (tx) =>
    [
      await walletSummary(tx),
      await listWithdrawals(tx, { userId: c.var.user().sub, cursor, limit: 20 }),
    ] as const
  );
  const err = (name: string) => errors[name] && t(errors[name]!);
  return renderPage(
    c,
    <div class="stack">
      <div class="page-head">
        <h1>{t("wallet.withdrawals.title")}</h1>
        <a href="/wallet">{t("wallet.backToWallet")}</a>
      </div>
      {notice && (
        <p class="alert alert-success" role="status">
          {t(`wallet.withdrawals.notice.${notice}` as MessageKey)}
        </p>
      )}
      <section class="card narrow stack" aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t("wallet.withdrawals.requestTitle")}</h2>
        <p>{t("wallet.withdrawals.lead")}</p>
        <FormAlert kind="error" text={problem} />
        <form method="post" action="/wallet/withdrawals" novalidate>
          <input type="hidden" name="key" value={values.key || crypto.randomUUID()} />
          <div class="field">
            <label for="withdraw-tomans">{t("wallet.withdrawals.amount")}</label>
            <p class="hint" id="withdraw-tomans-hint">
              {t("wallet.transfer.availableHint", { amount: formatToman(wallet.available, locale) })}
            </p>
            <input
              id="withdraw-tomans"
              name="tomans"
              inputMode="numeric"
              autoComplete="off"
              dir="ltr"
              maxLength={25}
              required
              value={values.tomans ?? ""}
              aria-invalid={errors.tomans ? "true" : undefined}
              aria-describedby={`withdraw-tomans-hint${errors.tomans ? " withdraw-tomans-error" : ""}`}
              autoFocus={!!errors.tomans}
            />
            <FieldError id="withdraw-tomans" text={err("tomans")} />
          </div>
          <TextField
            name="iban"
            id="withdraw-iban"
            label={t("wallet.withdrawals.iban")}
            hint={t("wallet.withdrawals.ibanHint")}
            value={values.iban}
            error={err("iban")}
            dir="ltr"
            autoComplete="off"
            maxLength={60}
            required
            autoFocus={!errors.tomans && !!errors.iban}
          />
          <div class="form-actions">
            <button type="submit" class="button">{t("wallet.withdrawals.submit")}</button>
          </div>
        </form>
      </section>
      <section class="card stack" aria-labelledby="withdrawals-title">
        <h2 id="withdrawals-title">{t("wallet.withdrawals.listTitle")}</h2>
        {page.withdrawals.length === 0
          ? <p class="alert alert-info">{t("wallet.withdrawals.empty")}</p>
          : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t("wallet.column.date")}</th>
                    <th scope="col" class="num">{t("wallet.column.amount")}</th>
                    <th scope="col">{t("wallet.withdrawals.column.iban")}</th>
                    <th scope="col">{t("wallet.withdrawals.column.status")}</th>
                    <th scope="col">{t("wallet.withdrawals.column.reference")}</th>
                    <th scope="col"></th>
                  </tr>
                </thead>
                <tbody>
                  {page.withdrawals.map((w) => (
                    <tr data-withdrawal={w.id}>
                      <td>{formatDate(w.createdAt, locale, { time: true })}</td>
                      <td class="num">{formatToman(w.amount, locale)}</td>
                      <td>
                        <bdi class="ltr-inline">{w.iban}</bdi>
                      </td>
                      <td>
                        <WithdrawalBadge t={t} status={w.status} />
                      </td>
                      <td>{w.bankReference ? <bdi>{w.bankReference}</bdi> : w.reviewNote ?? ""}</td>
                      <td>
                        {w.status === "pending" && (
                          <form method="post" action={`/wallet/withdrawals/${w.id}/cancel`}>
                            <button type="submit" class="button button-ghost button-small">
                              {t("wallet.withdrawals.cancel")}
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        {page.nextCursor && (
          <nav class="pagination" aria-label={t("wallet.pagination")}>
            <span></span>
            <a href={`/wallet/withdrawals?cursor=${page.nextCursor}`} rel="next">{t("wallet.older")}</a>
          </nav>
        )}
      </section>
    </div>,
    { title: t("wallet.withdrawals.title"), status: state.status },
  );
}

const invalid = (c: AppContext, errors: FieldErrors, values: Record<string, string>) =>
  render(c, { values, errors, problem: c.var.t("form.errorSummary"), status: 400 });

export const walletWithdrawals = userRoutes()
  .get("/", validate("query", query), (c) => render(c, c.req.valid("query")))
  .post("/", formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    try {
      await asUser(
        c.var.user(),
        (tx) =>
          requestWithdrawal(tx, {
            amount: input.tomans,
            iban: input.iban,
            idempotencyKey: `withdrawal-form:${input.key}`,
          }),
      );
    } catch (error) {
      if (!walletErrors.is(error)) throw error;
      const values = (await c.req.parseBody()) as Values;
      const fresh = error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values;
      const field = error.code === "invalid_iban" ? "iban" : "tomans";
      return await render(c, {
        values: fresh,
        errors: { [field]: walletErrorKey(error) },
        problem: walletErrorText(c, error),
        status: 422,
      });
    }
    return c.redirect("/wallet/withdrawals?notice=requested", 303);
  })
  .post("/:id/cancel", validate("param", idParam), async (c) => {
    await c.var.asUser((tx) => cancelWithdrawal(tx, { withdrawalId: c.req.valid("param").id }));
    return c.redirect("/wallet/withdrawals?notice=cancelled", 303);
  });
