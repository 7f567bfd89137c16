// functions/payments-verify — where Zarinpal sends the browser back (GET ?payment=<id>&sig=<hmac>&Authority=…&Status=…).
// Checks the signature, verifies with the gateway whatever Status says, settles once, then 303 to the result page.
import { asService } from "../../lib/db/client.ts";
import { type PaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { confirmPayment } from "../../lib/payments/confirm.ts";
import { verifyPaymentSignature } from "../../lib/payments/signature.ts";
import { findPayment, recordEvent } from "../../lib/payments/store.ts";
import { answering, jsonError } from "../_shared/http.ts";

export function createVerifyHandler(context: () => Promise<PaymentsContext>) {
  return (request: Request): Promise<Response> =>
    answering("payments-verify", async () => {
      if (request.method !== "GET") return jsonError(405, "method_not_allowed", "Use GET");
      const query = new URL(request.url).searchParams;
      const paymentId = query.get("payment") ?? "";
      const ctx = await context();
      if (!await verifyPaymentSignature(ctx.settings.callbackSecret, paymentId, query.get("sig") ?? "")) {
        return jsonError(403, "bad_signature", "This callback URL was not issued for this payment");
      }
      const payment = await asService((tx) => findPayment(tx, paymentId), ctx.db);
      if (!payment) return jsonError(404, "payment_not_found", "No such payment");
      const authority = query.get("Authority");
      if (authority !== null && authority !== payment.authority) {
        return jsonError(400, "authority_mismatch", "The callback's Authority is not this payment's");
      }
      const status = query.get("Status") ?? "";
      await asService((tx) =>
        recordEvent(tx, paymentId, {
          endpoint: "callback",
          attempt: 1,
          request: { Authority: authority, Status: status },
          durationMs: 0,
        }), ctx.db);
      try {
        await confirmPayment(ctx, paymentId, { mode: "callback", callbackStatus: status });
      } catch (error) {
        // The payment stays pending and reconciliation settles it; the buyer sees "pending", not an error.
        console.error(
          JSON.stringify({ level: "error", function: "payments-verify", paymentId, error: String(error) }),
        );
      }
      return new Response(null, {
        status: 303,
        headers: { location: `${ctx.settings.appUrl}/wallet/payments/${paymentId}` },
      });
    });
}

const handler = createVerifyHandler(paymentsContext);
export default handler;

if (import.meta.main) Deno.serve(handler);
