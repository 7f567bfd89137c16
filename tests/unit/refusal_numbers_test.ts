/**
 * Refusals whose message carries a number (below_minimum_withdrawal / below_minimum_transfer's {minimum}) show
 * it as the rest of the page does: Persian digits and grouping in fa, grouped in en (lib/i18n/format.ts).
 */
import { assertEquals } from "@std/assert";
import { describeError } from "../../lib/errors.ts";
import { refusalParams, requestTranslator } from "../../lib/http/answers.ts";
import type { AppContext } from "../../lib/http/env.ts";
import { type Locale, translate } from "../../lib/i18n/mod.ts";
import { walletErrors } from "../../lib/wallet/errors.ts";

function requestIn(locale: Locale): AppContext {
  return {
    var: { locale, t: (key: never, params: never) => translate(locale, key, params) },
  } as unknown as AppContext;
}

Deno.test("[refusals] numbers in a refusal's message use the request's digits and grouping", () => {
  const refusal = walletErrors.refuse("below_minimum_transfer", { minimum: 50_000 });
  assertEquals(
    describeError(refusal, requestTranslator(requestIn("fa"))).message,
    "کمترین مبلغ انتقال ۵۰٬۰۰۰ ریال است.",
  );
  assertEquals(
    describeError(refusal, requestTranslator(requestIn("en"))).message,
    "The smallest transfer is 50,000 rials.",
  );
  const withdrawal = walletErrors.refuse("below_minimum_withdrawal", { minimum: 1_000_000 });
  assertEquals(
    describeError(withdrawal, requestTranslator(requestIn("fa"))).message,
    "کمترین مبلغ برداشت ۱٬۰۰۰٬۰۰۰ ریال است.",
  );
});

Deno.test("[refusals] text details (field names, ids given as strings) are left as they are", () => {
  assertEquals(refusalParams({ field: "amount", id: "1234", n: 7 }, "fa"), {
    field: "amount",
    id: "1234",
    n: "۷",
  });
});
