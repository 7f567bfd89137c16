// functions/payments-reconcile — called every minute by pg_cron (net.http_post with the secret key): settles
// paid-but-unverified payments, re-verifies stale pending ones, expires abandoned ones, resolves refunds.
import { type PaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { reconcilePayments } from "../../lib/payments/reconcile.ts";
import { answering, jsonError } from "../_shared/http.ts";
import { isServiceCaller } from "../_shared/service_auth.ts";

export function createReconcileHandler(context: () => Promise<PaymentsContext>) {
  return (request: Request): Promise<Response> =>
    answering("payments-reconcile", async () => {
      if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
      if (!await isServiceCaller(request)) {
        return jsonError(401, "unauthorized", "The secret key is required");
      }
      const report = await reconcilePayments(await context());
      return Response.json(report);
    });
}

const handler = createReconcileHandler(paymentsContext);
export default handler;

if (import.meta.main) Deno.serve(handler);
