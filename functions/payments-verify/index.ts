// functions/payments-verify — where Zarinpal sends the browser back (GET ?payment=<id>&sig=<hmac>&Authority=…&Status=…).
// Checks the signature; then one transaction reads the payment and admits the callback (payments.admit_callback):
// a final payment is only redirected (no gateway call, no event row); a pending one is counted against its
// callback budget and stored as a callback event, then verified with the gateway whatever Status says (settled
// once, the verify's answer stored with the settlement), then 303 to the result page.
import { type PaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { confirmPayment } from "../../lib/payments/confirm.ts";
import { admitCallback } from "../../lib/payments/callbacks.ts";
import { verifyPaymentSignature } from "../../lib/payments/signature.ts";
import { answering, jsonError } from "../_shared/http.ts";

function log(level: "warn" | "error", paymentId: string, detail: Record<string, unknown>) {
  console.error(JSON.stringify({ level, function: "payments-verify", paymentId, ...detail }));
}

export function createVerifyHandler(context: () => Promise<PaymentsContext>) {
  return (request: Request): Promise<Response> =>
    answering("payments-verify", async () => {
      if (request.method !== "GET") return jsonError(405, "method_not_allowed", "Use GET");
      const query = new URL(request.url).searchParams;
      const paymentId = query.get("payment") ?? "";
      const ctx = await context();
      if (!verifyPaymentSignature(ctx.settings.callbackSecret, paymentId, query.get("sig") ?? "")) {
        return jsonError(403, "bad_signature", "This callback URL was not issued for this payment");
      }
      const authority = query.get("Authority");
      const status = query.get("Status") ?? "";
      // One round trip: the payment's row, and its admission (authority check, budget, callback event).
      const { payment, admission: admitted } = await admitCallback(ctx.db, paymentId, { authority, status });
      if (!payment || admitted.verdict === "not_found") {
        return jsonError(404, "payment_not_found", "No such payment");
      }
      if (admitted.verdict === "authority_mismatch") {
        return jsonError(400, "authority_mismatch", "The callback's Authority is not this payment's");
      }
      const toResult = new Response(null, {
        status: 303,
        headers: { location: `${ctx.settings.appUrl}/wallet/payments/${paymentId}` },
      });
      // Final: whatever the callback says changes nothing, so it costs nothing (replays included).
      if (admitted.verdict === "final") return toResult;
      if (admitted.verdict === "limited") {
        // Replayed too often: the result page shows "pending" and reconciliation settles the payment.
        log("warn", paymentId, { limited: true, hits: admitted.hits });
        return toResult;
      }
      try {
        await confirmPayment(ctx, paymentId, { mode: "callback", callbackStatus: status, payment });
      } catch (error) {
        // The payment stays pending and reconciliation settles it; the buyer sees "pending", not an error.
        log("error", paymentId, { error: String(error) });
      }
      return toResult;
    });
}

const handler = createVerifyHandler(paymentsContext);
export default handler;

if (import.meta.main) Deno.serve(handler);
