// functions/payments-refund — POST {payment_id, reason} with a staff access token (permission payments.refund,
// checked in SQL): debits the wallet, reverses at Zarinpal, compensates when the gateway refuses.
import { z } from "zod";
import { int8Id, text } from "../../lib/http/schemas.ts";
import type { Claims } from "../../lib/db/client.ts";
import { InvalidToken, verifyAccessToken } from "../../lib/auth/tokens.ts";
import { type PaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { refundPayment } from "../../lib/payments/refund.ts";
import { answering, bearerToken, jsonError } from "../_shared/http.ts";

const body = z.object({
  payment_id: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), int8Id]).transform(String),
  reason: text().trim().min(3).max(500),
}).strict();

export interface RefundDeps {
  context: () => Promise<PaymentsContext>;
  verifyToken: (token: string) => Promise<Claims>;
}

export function createRefundHandler(deps: RefundDeps) {
  return (request: Request): Promise<Response> =>
    answering("payments-refund", async () => {
      if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
      const token = bearerToken(request);
      if (!token) return jsonError(401, "unauthorized", "Send a staff access token as Authorization: Bearer");
      let claims;
      try {
        claims = await deps.verifyToken(token);
      } catch (error) {
        if (error instanceof InvalidToken) return jsonError(401, "unauthorized", "Invalid or expired token");
        throw error;
      }
      const parsed = body.safeParse(await request.json().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return jsonError(400, "invalid_input", `${issue?.path.join(".") || "body"}: ${issue?.message}`);
      }
      const outcome = await refundPayment(await deps.context(), claims, {
        paymentId: parsed.data.payment_id,
        reason: parsed.data.reason,
      });
      const status = outcome.status === "completed" ? 200 : outcome.status === "pending" ? 202 : 502;
      return Response.json(outcome, { status });
    });
}

const handler = createRefundHandler({ context: paymentsContext, verifyToken: verifyAccessToken });
export default handler;

if (import.meta.main) Deno.serve(handler);
