// routes/wallet/withdrawals.tsx — GET /wallet/withdrawals (request form and my withdrawals), POST (request,
// idempotent per form), POST /wallet/withdrawals/:id/cancel (while pending)
import { z } from "zod";
import { int8Id, text } from "../../lib/http/schemas.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { walletSummary } from "../../lib/wallet/summary.ts";
import { cancelWithdrawal, listWithdrawals, requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { isValidIban, normalizeIban } from "../../lib/wallet/iban.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { tomansAtLeast } from "../../components/wallet/tomans.ts";
import { config } from "../../lib/config.ts";
import { WithdrawalsPage, type WithdrawalsPageProps } from "../../components/wallet/WithdrawalsPage.tsx";
import { errorSummary, walletErrorKey } from "./_errors.ts";
import { requireLiveSession, userRoutes } from "../../lib/auth/guards.ts";
import { formReauth, reauthMinutes, recentlyReauthenticated } from "../../lib/auth/reauth.ts";

const form = z.object({
  tomans: tomansAtLeast(() => config().WALLET_MIN_WITHDRAWAL_RIAL, "form.error.belowMinWithdrawal"),
  iban: text().max(60, "form.error.iban")
    .refine((v) => /^IR[0-9]{24}$/.test(normalizeIban(v)), "form.error.iban")
    .refine(isValidIban, "form.error.ibanChecksum"),
  key: z.uuid(),
  /** The account password again, unless this session re-authenticated lately. */
  current_password: z.string().max(200).optional(),
});
const query = z.object({
  notice: z.enum(["requested", "cancelled"]).optional(),
  /** The withdrawal just requested (with notice=requested): the message names its amount and IBAN. */
  id: int8Id.optional(),
  cursor: text().max(200).optional(),
});
const idParam = z.object({ id: int8Id });

type State =
  & Pick<WithdrawalsPageProps, "notice" | "cursor" | "values" | "errors" | "problem" | "reauth">
  & { id?: string };

/** The page: loads the wallet and a page of my withdrawals, shows the form in `state`. */
async function page(c: AppContext, state: State, status: 200 | 400 | 422 | 429 | 503 = 200) {
  // Every withdrawal needs the password again, unless this session re-authenticated lately.
  const reauth = state.reauth ?? (await recentlyReauthenticated(c) ? undefined : {});
  // Started together, the reads travel to Postgres together (lib/db/client.ts).
  const [{ available }, list] = await c.var.asUser((tx) =>
    Promise.all([
      walletSummary(tx),
      listWithdrawals(tx, { userId: c.var.user().sub, cursor: state.cursor, limit: 20 }),
    ])
  );
  // The request just made is the newest of the first page.
  const requested = state.notice === "requested"
    ? list.withdrawals.find((w) => w.id === state.id)
    : undefined;
  const { t, locale } = c.var;
  return renderPage(
    c,
    <WithdrawalsPage
      t={t}
      locale={locale}
      available={available}
      withdrawals={list.withdrawals}
      nextCursor={list.nextCursor}
      {...state}
      requested={requested}
      minimum={BigInt(config().WALLET_MIN_WITHDRAWAL_RIAL)}
      reauth={reauth}
      reauthMinutes={reauthMinutes()}
    />,
    { title: t("wallet.withdrawals.title"), status },
  );
}

const invalid = (c: AppContext, errors: FieldErrors, values: Record<string, string>) =>
  page(c, { values, errors, problem: errorSummary(c, errors, ["tomans", "iban"]) }, 400);

export const walletWithdrawals = userRoutes()
  .get("/", validate("query", query), (c) => page(c, c.req.valid("query")))
  // Money moves: the session must still be known to Auth, and the password is asked again.
  .post("/", requireLiveSession, formValidator(form, invalid), async (c) => {
    const input = c.req.valid("form");
    const refusal = await formReauth(c, input.current_password);
    if (refusal) {
      const values = (await c.req.parseBody()) as State["values"] & object;
      return await page(c, { values, reauth: { error: refusal.error } }, refusal.status);
    }
    let requested;
    try {
      requested = await c.var.asUser((tx) =>
        requestWithdrawal(tx, {
          amount: input.tomans,
          iban: input.iban,
          idempotencyKey: `withdrawal-form:${input.key}`,
        })
      );
    } catch (error) {
      if (!walletErrors.is(error)) throw error;
      const values = (await c.req.parseBody()) as State["values"] & object;
      const fresh = error.code === "idempotency_conflict" ? { ...values, key: crypto.randomUUID() } : values;
      const field = error.code === "invalid_iban" ? "iban" : "tomans";
      const errors = { [field]: walletErrorKey(error) };
      return await page(c, { values: fresh, errors }, 422);
    }
    return c.redirect(`/wallet/withdrawals?notice=requested&id=${requested.withdrawalId}`, 303);
  })
  .post("/:id/cancel", requireLiveSession, validate("param", idParam), async (c) => {
    await c.var.asUser((tx) => cancelWithdrawal(tx, { withdrawalId: c.req.valid("param").id }));
    return c.redirect("/wallet/withdrawals?notice=cancelled", 303);
  });
