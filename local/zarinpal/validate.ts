/** Body validation with Zarinpal's -9 semantics: each problem becomes one `{field: message}` entry. */
import { Refusal, type Validation } from "./codes.ts";
import type { SandboxPolicy } from "./policy.ts";
import type { NewSession } from "./state.ts";

export type Body = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUTHORITY = /^[AS][0-9a-zA-Z]{35}$/;

/** Collects problems field by field; `done()` throws -9 when there are any. */
export class Checker {
  problems: Validation[] = [];

  constructor(readonly body: Body) {}

  fail(field: string, message: string): void {
    this.problems.push({ [field]: message });
  }

  merchant(): string {
    const value = this.body.merchant_id;
    if (value === undefined || value === "") this.fail("merchant_id", "The merchant id field is required.");
    else if (typeof value !== "string" || !UUID.test(value)) {
      this.fail("merchant_id", "The merchant id is invalid.");
    }
    return String(value).toLowerCase();
  }

  /** An integer amount; the docs' samples send it as a digit string too. */
  amount(): number {
    const value = this.body.amount;
    const parsed = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (value === undefined) this.fail("amount", "The amount field is required.");
    else if (typeof parsed !== "number" || !Number.isSafeInteger(parsed) || parsed < 0) {
      this.fail("amount", "The amount must be an integer.");
    }
    return typeof parsed === "number" ? parsed : NaN;
  }

  authority(): string {
    const value = this.body.authority;
    if (value === undefined || value === "") this.fail("authority", "The authority field is required.");
    else if (typeof value !== "string" || !AUTHORITY.test(value)) {
      this.fail("authority", "The authority is invalid.");
    }
    return String(value);
  }

  done(): void {
    if (this.problems.length) throw new Refusal(-9, this.problems);
  }
}

/** The body as an object, or -9 for anything else (malformed JSON, an array, a string). */
export function asBody(value: unknown): Body {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Body;
  throw new Refusal(-9, [{ body: "The request body must be a JSON object." }]);
}

/** `currency` (IRR unless IRT is sent) and an integer amount no smaller than the minimum in that unit. */
export function pricedAmount(
  check: Checker,
  policy: SandboxPolicy,
): { amount: number; currency: "IRR" | "IRT" } {
  const currency = check.body.currency ?? "IRR";
  if (currency !== "IRR" && currency !== "IRT") check.fail("currency", "The selected currency is invalid.");
  const unit = currency === "IRT" ? 10 : 1;
  const amount = check.amount();
  if (amount * unit < policy.minAmountRial) {
    check.fail("amount", `The amount must be at least ${Math.ceil(policy.minAmountRial / unit)}.`);
  }
  return { amount, currency: currency === "IRT" ? "IRT" : "IRR" };
}

/** Validates `request.json` (spec §2); wages are only shape-checked. */
export function parseRequest(body: Body, policy: SandboxPolicy): NewSession & { wages: unknown[] } {
  const check = new Checker(body);
  const merchantId = check.merchant();
  const { amount, currency } = pricedAmount(check, policy);
  const description = body.description;
  if (typeof description !== "string" || !description.trim()) {
    check.fail("description", "The description field is required.");
  } else if (description.length > 500) {
    check.fail("description", "The description may not be greater than 500 characters.");
  }
  const callbackUrl = String(body.callback_url ?? "");
  if (!/^https?:\/\/[^\s/]+/i.test(callbackUrl) || !URL.canParse(callbackUrl)) {
    check.fail("callback_url", "The callback url format is invalid.");
  }
  const metadata = metadataOf(body.metadata);
  if (metadata === undefined) {
    check.fail("metadata", "The metadata must be an object.");
  } else {
    const { card_pan, mobile, email } = metadata as Body;
    if (card_pan !== undefined && !/^\d{16}$/.test(String(card_pan))) {
      check.fail("metadata.card_pan", "The card pan must be 16 digits.");
    }
    if (mobile !== undefined && !/^(\+98|0)?9\d{9}$/.test(String(mobile))) {
      check.fail("metadata.mobile", "The mobile format is invalid.");
    }
    if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(String(email))) {
      check.fail("metadata.email", "The email must be a valid email address.");
    }
  }
  const wages = body.wages ?? [];
  if (!Array.isArray(wages) || wages.some((w) => !/^IR\d{24}$/.test(String(w?.iban)) || !(w?.amount > 0))) {
    check.fail("wages", "The wages are invalid.");
  }
  check.done();
  return {
    merchantId,
    amount,
    currency,
    description: description as string,
    callbackUrl,
    metadata: metadata as Body,
    wages: wages as unknown[],
  };
}

/**
 * `metadata` as PHP sees it: absent, `{}` and `[]` are all an empty array there, and a JSON list is an array
 * with keys 0, 1, 2… (no `mobile`, `email`… key, so nothing of it applies). Scalars are refused.
 */
function metadataOf(value: unknown): Body | undefined {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, i) => [String(i), item]));
  if (typeof value !== "object") return undefined;
  const metadata = { ...value as Body };
  // Laravel's boolean rule also takes 1/"1"/"true" (forms send strings).
  if ([1, "1", "true"].includes(metadata.auto_verify as string)) metadata.auto_verify = true;
  return metadata;
}
