/**
 * The v4 JSON API under /pg/v4/payment/: request, verify, unVerified, inquiry, reverse, feeCalculation and the
 * legacy refresh.json. Any other path or method under it answers the failure envelope too (404/405), never text.
 */
import { Hono } from "hono";
import { Refusal } from "./codes.ts";
import { maskPan, quoteFee } from "./fees.ts";
import type { Faults } from "./faults.ts";
import { failure, pipeline } from "./pipeline.ts";
import type { SandboxState, Session, SessionStatus } from "./state.ts";
import { Checker, parseRequest, pricedAmount } from "./validate.ts";

const INQUIRY_STATUS: Record<SessionStatus, string> = {
  CREATED: "IN_BANK",
  IN_BANK: "IN_BANK",
  PAID: "PAID",
  VERIFIED: "VERIFIED",
  FAILED: "FAILED",
  EXPIRED: "FAILED",
  REVERSED: "REVERSED",
};

/** `YYYY-MM-DD HH:MM:SS` in Tehran time, as unVerified reports `date`. */
const tehranTime = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Tehran",
  dateStyle: "short",
  timeStyle: "medium",
});

export function apiRoutes(state: SandboxState, faults: Faults): Hono {
  const app = new Hono();
  const run = pipeline(state, faults);

  /** -10 for a merchant outside the configured list (production mode), -11 for a disabled one. */
  const terminal = (merchantId: string) => {
    const known = state.options.merchantIds?.map((m) => m.toLowerCase());
    if (known && !known.includes(merchantId)) throw new Refusal(-10);
    if (state.inactiveMerchants.has(merchantId)) throw new Refusal(-11);
  };

  /** Validates merchant and authority, checks the terminal, then finds this merchant's session. */
  const ownSession = (check: Checker, beforeLookup?: () => void): Session => {
    const merchantId = check.merchant();
    const authority = check.authority();
    check.done();
    terminal(merchantId);
    beforeLookup?.();
    const session = state.get(authority);
    if (!session) throw new Refusal(-54);
    if (session.merchantId !== merchantId) throw new Refusal(-53);
    return session;
  };

  app.post(
    "/request.json",
    run("request", (body) => {
      const input = parseRequest(body, state.policy);
      terminal(input.merchantId);
      if (input.amount * (input.currency === "IRT" ? 10 : 1) > state.policy.maxAmountRial) {
        throw new Refusal(-41);
      }
      const domain = state.policy.callbackDomain;
      const host = new URL(input.callbackUrl).hostname;
      if (domain && host !== domain && !host.endsWith(`.${domain}`)) throw new Refusal(-14);
      const wagesTotal = input.wages.reduce(
        (sum: number, w) => sum + Number((w as { amount: number }).amount),
        0,
      );
      if (wagesTotal > input.amount) throw new Refusal(-34);
      const session = state.create({ ...input });
      return {
        code: 100,
        message: "Success",
        authority: session.authority,
        fee_type: session.feeType,
        fee: session.fee,
      };
    }),
  );

  app.post(
    "/verify.json",
    run("verify", (body) => {
      const check = new Checker(body);
      const amount = check.amount();
      const session = ownSession(check);
      if (session.status !== "PAID" && session.status !== "VERIFIED") throw new Refusal(-51);
      if (amount !== session.amount) throw new Refusal(-50);
      const first = session.status === "PAID";
      if (first) Object.assign(session, { status: "VERIFIED", verifiedAt: state.now() });
      const orderId = session.metadata.order_id;
      return {
        code: first ? 100 : 101,
        message: "Verified",
        card_hash: session.cardHash,
        card_pan: maskPan(session.cardPan ?? ""),
        ref_id: session.refId,
        fee_type: session.feeType,
        fee: session.fee,
        ...(orderId === undefined ? {} : { order_id: String(orderId) }),
      };
    }),
  );

  app.post(
    "/unVerified.json",
    run("unVerified", (body) => {
      const check = new Checker(body);
      const merchantId = check.merchant();
      check.done();
      terminal(merchantId);
      const authorities = state.unverified(merchantId).map((s) => ({
        authority: s.authority,
        amount: s.amount,
        callback_url: s.callbackUrl,
        referer: new URL(s.callbackUrl).origin,
        date: tehranTime.format(s.paidAt!),
      }));
      return { code: state.policy.unverifiedCodeAsString ? "100" : 100, message: "Success", authorities };
    }),
  );

  app.post(
    "/inquiry.json",
    run("inquiry", (body) => {
      const session = ownSession(new Checker(body));
      return { code: 100, message: "Success", status: INQUIRY_STATUS[session.status] };
    }),
  );

  app.post(
    "/reverse.json",
    run("reverse", (body) => {
      const session = ownSession(new Checker(body), () => {
        if (!state.policy.ipAllowList) throw new Refusal(-62);
      });
      const reversible = session.status === "VERIFIED" ||
        (state.policy.allowReversePaid && session.status === "PAID");
      if (!reversible) throw new Refusal(-61);
      if (state.now().getTime() - session.paidAt!.getTime() > state.policy.reverseWindowMs) {
        throw new Refusal(-63);
      }
      Object.assign(session, { status: "REVERSED", reversedAt: state.now() });
      return { code: 100, message: "Reversed" };
    }),
  );

  // Legacy (zarinpal-checkout's RefreshAuthority; spec §1, §7): a waiting authority lives `expire` more
  // seconds from now. The minimum of 1800 s comes from the old RefreshAuthority; a settled session gets -51.
  app.post(
    "/refresh.json",
    run("refresh", (body) => {
      const check = new Checker(body);
      const raw = body.expire;
      const expire = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof expire !== "number" || !Number.isSafeInteger(expire) || expire < 1800) {
        check.fail("expire", "The expire must be an integer of at least 1800.");
      }
      const session = ownSession(check);
      if (session.status !== "CREATED" && session.status !== "IN_BANK") throw new Refusal(-51);
      session.refreshedUntil = new Date(state.now().getTime() + (expire as number) * 1000);
      return { code: 100, message: "Success" };
    }),
  );

  app.post(
    "/feeCalculation.json",
    run("feeCalculation", (body) => {
      const check = new Checker(body);
      const merchantId = check.merchant();
      const { amount, currency } = pricedAmount(check, state.policy);
      check.done();
      terminal(merchantId);
      return { amount, ...quoteFee(amount, currency, state.policy), code: 100, message: "Success" };
    }),
  );

  // [?] What Zarinpal answers for an unknown path is undocumented; clients parse JSON, so: -9 in the envelope.
  const KNOWN = /^\/(request|verify|unVerified|inquiry|reverse|feeCalculation|refresh)\.json$/;
  app.all("*", (c) => {
    const path = new URL(c.req.url).pathname.replace(/^.*\/pg\/v4\/payment/, "");
    const known = KNOWN.test(path);
    const detail = known ? `Use POST for ${path}.` : `Unknown endpoint ${path}.`;
    return failure(c, new Refusal(-9, [{ endpoint: detail }]), known ? 405 : 404);
  });

  return app;
}
