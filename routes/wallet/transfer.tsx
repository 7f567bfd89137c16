// routes/wallet/transfer.tsx — GET /wallet/transfer (form), POST /wallet/transfer (check → confirmation page),
// POST /wallet/transfer/confirm (moves the money once per form: its idempotency key is made with the form)
import { z } from "zod";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { asService } from "../../lib/db/client.ts";
import { formatToman } from "../../lib/i18n/format.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { lookupRecipient, type RecipientPreview } from "../../lib/wallet/recipient.ts";
import { retryAfterOf } from "../../lib/rate_limit/enforce.ts";
import type { DomainError } from "../../lib/errors.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { formValidator } from "../../components/forms/validator.ts";
import type { FieldErrors } from "../../components/forms/form_errors.ts";
import { FieldError, FormAlert, TextField } from "../../components/forms/Field.tsx";
import { tomansField } from "../../components/wallet/tomans.ts";
import { walletErrorKey, walletErrorText } from "./_errors.ts";
import { userRoutes } from "../../lib/auth/guards.ts";

const fields = {
  recipient: z.string().trim().min(3, "form.error.recipient").max(320, "form.error.recipient"),
  tomans: tomansField,
  note: z.string().trim().max(200, "form.error.noteLong").optional().default(""),
  key: z.uuid(),
};
const form = z.object(fields);
const prefill = z.object({
  recipient: z.string().max(320).optional(),
  tomans: z.string().max(30).optional(),
  note: z.string().max(200).optional(),
  key: z.uuid().optional(),
});

type Values = Partial<Record<"recipient" | "tomans" | "note" | "key", string>>;

async function renderForm(
  c: AppContext,
  values: Values,
  errors: FieldErrors = {},
  problem?: string,
  status: 200 | 400 | 422 | 429 = 200,
) {
  const t = c.var.t;
  const { available } = await c.var.asUser((tx) => walletSummary(tx));
  const err = (name: string) => errors[name] && t(errors[name]!);
  return renderPage(
    c,
    <section class="card narrow stack">
      <h1>{t("wallet.transfer.title")}</h1>
      <p>{t("wallet.transfer.lead")}</p>
      <FormAlert kind="error" text={problem} />
      <form method="post" action="/wallet/transfer" novalidate>
        <input type="hidden" name="key" value={values.key || crypto.randomUUID()} />
        <TextField
          name="recipient"
          label={t("wallet.transfer.recipient")}
          hint={t("wallet.transfer.recipientHint")}
          value={values.recipient}
          error={err("recipient")}
          dir="ltr"
          autoComplete="off"
          maxLength={320}
          required
          autoFocus={!!errors.recipient}
        />
        <div class="field">
          <label for="transfer-tomans">{t("wallet.transfer.amount")}</label>
          <p class="hint" id="transfer-tomans-hint">
            {t("wallet.transfer.availableHint", { amount: formatToman(available, c.var.locale) })}
          </p>
          <input
            id="transfer-tomans"
            name="tomans"
            inputMode="numeric"
            autoComplete="off"
            dir="ltr"
            maxLength={25}
            required
            value={values.tomans ?? ""}
            aria-invalid={errors.tomans ? "true" : undefined}
            aria-describedby={`transfer-tomans-hint${errors.tomans ? " transfer-tomans-error" : ""}`}
            autoFocus={!errors.recipient && !!errors.tomans}
          />
          <FieldError id="transfer-tomans" text={err("tomans")} />
        </div>
        <TextField
          name="note"
          label={t("wallet.transfer.note")}
          hint={t("wallet.transfer.noteHint")}
          value={values.note}
          error={err("note")}
          maxLength={200}
        />
        <div class="form-actions">
          <button type="submit" class="button">{t("wallet.transfer.continue")}</button>
          <a href="/wallet">{t("wallet.backToWallet")}</a>
        </div>
      </form>
    </section>,
    { title: t("wallet.transfer.title"), status },
  );
}

function renderConfirm(c: AppContext, input: z.infer<typeof form>, who: RecipientPreview, typed: string) {
  const t = c.var.t;
  const amount = formatToman(input.tomans, c.var.locale);
  return renderPage(
    c,
    <section class="card narrow stack transfer-confirm">
      <h1>{t("wallet.transfer.confirmTitle")}</h1>
      <p>{t("wallet.transfer.confirmLead")}</p>
      <dl class="facts">
        <dt>{t("wallet.transfer.to")}</dt>
        <dd>
          <strong id="confirm-name">{who.name || t("wallet.transfer.unnamed")}</strong>{" "}
          <bdi class="ltr-inline" id="confirm-email">{who.maskedEmail}</bdi>
        </dd>
        <dt>{t("wallet.column.amount")}</dt>
        <dd id="confirm-amount">{amount}</dd>
        {input.note && (
          <>
            <dt>{t("wallet.transfer.noteLabel")}</dt>
            <dd>{input.note}</dd>
          </>
        )}
      </dl>
      <form method="post" action="/wallet/transfer/confirm">
        <input type="hidden" name="recipient" value={input.recipient} />
        <input type="hidden" name="tomans" value={typed} />
        <input type="hidden" name="note" value={input.note} />
        <input type="hidden" name="key" value={input.key} />
        <div class="form-actions">
          <button type="submit" class="button">{t("wallet.transfer.confirm", { amount })}</button>
        </div>
      </form>
      <form method="get" action="/wallet/transfer">
        <input type="hidden" name="recipient" value={input.recipient} />
        <input type="hidden" name="tomans" value={typed} />
        <input type="hidden" name="note" value={input.note} />
        <input type="hidden" name="key" value={input.key} />
        <button type="submit" class="button button-ghost button-small">{t("wallet.transfer.change")}</button>
      </form>
    </section>,
    { title: t("wallet.transfer.confirmTitle") },
  );
}

const invalid = (c: AppContext, errors: FieldErrors, values: Record<string, string>) =>
  renderForm(c, values, errors, c.var.t("form.errorSummary"), 400);

/** A refusal by the ledger, shown on the form; a used-up key gets a fresh one so the person can start again. */
function refused(c: AppContext, error: DomainError, values: Values) {
  const fresh = error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values;
  const field = error.code === "recipient_not_found" || error.code === "self_transfer"
    ? "recipient"
    : "tomans";
  return renderForm(
    c,
    fresh,
    { [field]: walletErrorKey(error) },
    walletErrorText(c, error),
    422,
  );
}

export const walletTransfer = userRoutes()
  .get("/", validate("query", prefill), (c) => renderForm(c, c.req.valid("query")))
  .post("/", formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    const values = (await c.req.parseBody()) as Values;
    let who: RecipientPreview | undefined;
    try {
      who = await asService((tx) => lookupRecipient(tx, c.var.user().sub, input.recipient));
    } catch (error) {
      if (retryAfterOf(error) === undefined) throw error;
      return await renderForm(c, values, {}, c.var.t("wallet.error.rate_limited"), 429);
    }
    if (!who) return await refused(c, walletErrors.refuse("recipient_not_found"), values);
    if (who.userId === c.var.user().sub) {
      return await refused(c, walletErrors.refuse("self_transfer"), values);
    }
    return renderConfirm(c, input, who, values.tomans ?? "");
  })
  .post("/confirm", formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    try {
      await c.var.asUser((tx) =>
        transfer(tx, {
          recipient: input.recipient,
          amount: input.tomans,
          idempotencyKey: `transfer-form:${input.key}`,
          note: input.note || undefined,
        })
      );
    } catch (error) {
      if (walletErrors.is(error)) return await refused(c, error, (await c.req.parseBody()) as Values);
      throw error;
    }
    return c.redirect("/wallet?notice=transferred", 303);
  });
