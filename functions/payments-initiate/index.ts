// functions/payments-initiate — POST {amount} (rials) with the user's access token → a pending payment and the
// Zarinpal StartPay URL: {payment_id, authority, redirect_url}.
import { z } from "zod";
import type { Claims } from "../../lib/db/client.ts";
import { InvalidToken, verifyAccessToken } from "../../lib/auth/tokens.ts";
import { type PaymentsContext, paymentsContext } from "../../lib/payments/context.ts";
import { initiatePayment } from "../../lib/payments/initiate.ts";
import { fromAcceptLanguage } from "../../lib/i18n/mod.ts";
import { answering, bearerToken, jsonError } from "../_shared/http.ts";

const body = z.object({ amount: z.number().int().positive() }).strict();

export interface InitiateDeps {
  context: () => Promise<PaymentsContext>;
  /** Verifies a user access token (signature against the project's JWKS) and returns its claims. */
  verifyToken: (token: string) => Promise<Claims & { email?: string }>;
}

export function createInitiateHandler(deps: InitiateDeps) {
  return (request: Request): Promise<Response> =>
    answering("payments-initiate", async () => {
      if (request.method !== "POST") return jsonError(405, "method_not_allowed", "Use POST");
      const token = bearerToken(request);
      if (!token) {
        return jsonError(401, "unauthorized", "Send the user's access token as Authorization: Bearer");
      }
      let claims;
      try {
        claims = await deps.verifyToken(token);
      } catch (error) {
        if (error instanceof InvalidToken) {
          return jsonError(401, "unauthorized", "Invalid or expired token");
        }
        throw error;
      }
      const parsed = body.safeParse(await request.json().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return jsonError(400, "invalid_input", `${issue?.path.join(".") || "body"}: ${issue?.message}`);
      }
      const result = await initiatePayment(await deps.context(), claims, {
        amount: BigInt(parsed.data.amount),
        email: claims.email,
        locale: fromAcceptLanguage(request.headers.get("accept-language")),
      });
      if (!result.ok) {
        const [status, message] = result.reason === "gateway_refused"
          ? [502, "The payment gateway refused the payment"]
          : [503, "The payment gateway is not reachable; try again shortly"];
        return jsonError(status, result.reason, message, {
          payment_id: result.paymentId,
          gateway_code: result.code,
        });
      }
      return Response.json(
        { payment_id: result.paymentId, authority: result.authority, redirect_url: result.redirectUrl },
        { status: 201 },
      );
    });
}

const handler = createInitiateHandler({ context: paymentsContext, verifyToken: verifyAccessToken });
export default handler;

if (import.meta.main) Deno.serve(handler);
