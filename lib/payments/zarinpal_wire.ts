/** Zarinpal v4 wire shapes, parsed leniently: codes as numbers or strings, `errors` as [] or {}, `data` as [] or {}. */
import { z } from "zod";

const integer = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const money = integer.transform((n) => BigInt(n));
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const errorObject = z.object({
  code: integer,
  message: z.string().catch(""),
  validations: z.array(z.record(z.string(), z.unknown())).catch([]),
});

/** The outer envelope; `data` is `[]` (or `{}`) on failure and `errors` is `[]` on success. */
export const envelope = z.object({
  data: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullish(),
  errors: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullish(),
});

/** The error inside `errors` (an object, or the first item of a non-empty array), if there is one. */
function errorOf(errors: unknown): z.infer<typeof errorObject> | null {
  const candidate = Array.isArray(errors) ? errors[0] : errors;
  const parsed = errorObject.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

const coded = z.object({ code: integer, message: z.string().catch("") });

/** The code of a response: from the error object, else from `data` (2xx answers carry it there). */
export function outcomeOf(body: z.output<typeof envelope>): z.infer<typeof errorObject> | null {
  const fromData = coded.safeParse(body.data);
  return errorOf(body.errors) ?? (fromData.success ? { ...fromData.data, validations: [] } : null);
}

export const requestData = z.object({
  authority: z.string().min(1),
  fee: optional(money),
  fee_type: optional(z.string()),
}).transform((d) => ({ authority: d.authority, fee: d.fee, feeType: d.fee_type }));

export const verifyData = z.object({
  ref_id: optional(integer),
  card_pan: optional(z.string()),
  card_hash: optional(z.string()),
  fee: optional(money),
  fee_type: optional(z.string()),
  order_id: optional(z.union([z.string(), z.number()]).transform(String)),
}).transform((d) => ({
  refId: d.ref_id,
  cardPan: d.card_pan,
  cardHash: d.card_hash,
  fee: d.fee,
  feeType: d.fee_type,
  orderId: d.order_id,
}));

export const unverifiedData = z.object({
  authorities: z.array(
    z.object({
      authority: z.string(),
      amount: money,
      callback_url: z.string().catch(""),
      referer: z.string().nullish().transform((v) => v ?? null),
      date: z.string().catch(""),
    }).transform((a) => ({
      authority: a.authority,
      amount: a.amount,
      callbackUrl: a.callback_url,
      referer: a.referer,
      date: a.date,
    })),
  ).nullish()
    .transform((list) => list ?? []),
});

export const inquiryData = z.object({ status: z.string() });
export const nothing = z.object({}).transform(() => ({}));

/** A negative (or otherwise unexpected) code: Zarinpal answered and said no. */
export interface ZarinpalFailure {
  ok: false;
  code: number;
  message: string;
  validations: Record<string, unknown>[];
  httpStatus: number;
}

export type RequestResult = { ok: true; code: 100 } & z.output<typeof requestData> | ZarinpalFailure;
export type VerifyResult = { ok: true; code: 100 | 101 } & z.output<typeof verifyData> | ZarinpalFailure;
export type UnverifiedPayment = z.output<typeof unverifiedData>["authorities"][number];
export type UnverifiedResult = { ok: true; code: 100; authorities: UnverifiedPayment[] } | ZarinpalFailure;
/** `status` is VERIFIED, PAID, IN_BANK, FAILED or REVERSED (kept a string so a new one does not break parsing). */
export type InquiryResult = { ok: true; code: 100; status: string } | ZarinpalFailure;
export type ReverseResult = { ok: true; code: 100 } | ZarinpalFailure;

export interface PaymentRequestInput {
  /** Rials; always sent with `currency: "IRR"` so verify can repeat the same number. */
  amount: bigint | number;
  description: string;
  callbackUrl: string;
  metadata?: { mobile?: string; email?: string; orderId?: string; cardPan?: string; autoVerify?: boolean };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Rials as a JSON number; refuses anything that is not a positive safe integer. */
export function wireAmount(amount: bigint | number): number {
  const value = Number(amount);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`amount must be a positive integer: ${amount}`);
  }
  return value;
}

/** Our camelCase metadata as Zarinpal's `metadata` object, omitted when empty. */
export function metadataOf(
  metadata: PaymentRequestInput["metadata"],
): { metadata?: Record<string, unknown> } {
  const { mobile, email, orderId, cardPan, autoVerify } = metadata ?? {};
  const fields = { mobile, email, order_id: orderId, card_pan: cardPan, auto_verify: autoVerify };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return Object.keys(present).length ? { metadata: present } : {};
}
