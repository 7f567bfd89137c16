// routes/wallet/transfer.tsx — GET /wallet/transfer (form), POST /wallet/transfer (check → confirmation page),
// POST /wallet/transfer/confirm (moves the money once per form: its idempotency key is made with the form)
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { asService } from "../../lib/db/client.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { transfer } from "../../lib/wallet/transfers.ts";
import { countingFailedLookups, FAILED_LOOKUP, lookupRecipient } from "../../lib/wallet/recipient.ts";
import { retryAfterOf } from "../../lib/rate_limit/enforce.ts";
import { DomainError } from "../../lib/errors.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { tomansAtLeast } from "../../components/wallet/tomans.ts";
import { config } from "../../lib/config.ts";
import { TransferConfirm, TransferForm, type TransferValues } from "../../components/wallet/TransferPage.tsx";
import { errorSummary, walletErrorKey } from "./_errors.ts";
import { requireLiveSession, userRoutes } from "../../lib/auth/guards.ts";
import {
  formReauth,
  reauthMinutes,
  recentlyReauthenticated,
  transferNeedsReauth,
} from "../../lib/auth/reauth.ts";
import type { ReauthState } from "../../components/auth/ReauthField.tsx";

const form = z.object({
  recipient: text().trim().min(3, "form.error.recipient").max(320, "form.error.recipient"),
  tomans: tomansAtLeast(() => config().WALLET_MIN_TRANSFER_RIAL, "form.error.belowMinTransfer"),
  note: text().trim().max(200, "form.error.noteLong").optional().default(""),
  key: z.uuid(),
  /** Asked on the confirm step of large transfers (fresh re-authentication). */
  current_password: z.string().max(200).optional(),
});
const prefill = z.object({
  recipient: text().max(320).optional(),
  tomans: text().max(30).optional(),
  note: text().max(200).optional(),
  key: z.uuid().optional(),
});

/** The form again, with what was typed, what is wrong with it and what the wallet can send. */
async function formPage(
  c: AppContext,
  values: TransferValues,
  errors: FieldErrors = {},
  problem?: string,
  status: 200 | 400 | 422 | 429 = 200,
) {
  const { available } = await c.var.asUser((tx) => walletSummary(tx));
  const { t, locale } = c.var;
  return renderPage(
    c,
    <TransferForm
      t={t}
      locale={locale}
      values={values}
      errors={errors}
      problem={problem}
      available={available}
      minimum={BigInt(config().WALLET_MIN_TRANSFER_RIAL)}
    />,
    { title: t("wallet.transfer.title"), status },
  );
}

/** A used-up look-up limit, on the form. */
const limited = (c: AppContext, values: TransferValues) =>
  formPage(c, values, {}, c.var.t("wallet.error.rate_limited"), 429);

const invalid = (c: AppContext, errors: FieldErrors, values: Record<string, string>) =>
  formPage(c, values, errors, errorSummary(c, errors, ["recipient", "tomans", "note"]), 400);

/**
 * A refusal by the ledger, shown once: beside the field it is about. A used-up key gets a fresh one so the
 * person can start again.
 */
function refused(c: AppContext, error: DomainError, values: TransferValues) {
  const fresh = error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values;
  const field = (FAILED_LOOKUP as readonly string[]).includes(error.code) || error.code === "self_transfer"
    ? "recipient"
    : "tomans";
  return formPage(c, fresh, { [field]: walletErrorKey(error) }, undefined, 422);
}

type TransferInput = z.infer<typeof form>;

/** The confirm step: who the recipient is (counted against the lookup limit), with the password when needed. */
async function confirmPage(
  c: AppContext,
  input: TransferInput,
  values: TransferValues,
  reauth?: ReauthState,
  status: 200 | 400 | 429 | 503 = 200,
) {
  const me = c.var.user().sub;
  // A sender who cannot pay learns nothing about the recipient (the ledger checks in the same order).
  const { available } = await c.var.asUser((tx) => walletSummary(tx));
  if (input.tomans > available) return await refused(c, walletErrors.refuse("insufficient_funds"), values);
  const who = await asService((tx) => lookupRecipient(tx, me, input.recipient)).catch((error) => {
    if (retryAfterOf(error) === undefined) throw error;
    return "rate_limited" as const;
  });
  if (who === "rate_limited") return await limited(c, values);
  if (who instanceof DomainError) return await refused(c, who, values);
  if (who.userId === me) return await refused(c, walletErrors.refuse("self_transfer"), values);
  const { t, locale } = c.var;
  return renderPage(
    c,
    <TransferConfirm
      t={t}
      locale={locale}
      input={input}
      who={who}
      typed={values.tomans ?? ""}
      reauth={reauth}
      reauthMinutes={reauthMinutes()}
    />,
    { title: t("wallet.transfer.confirmTitle"), status },
  );
}

export const walletTransfer = userRoutes()
  .get("/", validate("query", prefill), (c) => formPage(c, c.req.valid("query")))
  .post("/", formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    const values = (await c.req.parseBody()) as TransferValues;
    const fresh = !transferNeedsReauth(input.tomans) || await recentlyReauthenticated(c);
    return await confirmPage(c, input, values, fresh ? undefined : {});
  })
  // Money moves: the session must still be known to Auth, and large amounts need the password again.
  .post("/confirm", requireLiveSession, formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    if (transferNeedsReauth(input.tomans)) {
      const refusal = await formReauth(c, input.current_password);
      if (refusal) {
        const values = (await c.req.parseBody()) as TransferValues;
        return await confirmPage(c, input, values, { error: refusal.error }, refusal.status);
      }
    }
    let posted;
    try {
      posted = await countingFailedLookups(c.var.user().sub, () =>
        c.var.asUser((tx) =>
          transfer(tx, {
            recipient: input.recipient,
            amount: input.tomans,
            idempotencyKey: `transfer-form:${input.key}`,
            note: input.note || undefined,
          })
        ));
    } catch (error) {
      const values = (await c.req.parseBody()) as TransferValues;
      if (retryAfterOf(error) !== undefined) return await limited(c, values);
      if (walletErrors.is(error)) return await refused(c, error, values);
      throw error;
    }
    return c.redirect(`/wallet?notice=transferred&tx=${posted.transactionId}`, 303);
  });
