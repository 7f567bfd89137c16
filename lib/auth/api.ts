/**
 * The auth slice of the JSON API (/api/v1/auth): re-authentication for API clients. The password is checked
 * again and a short-lived token comes back, to send as `X-Reauthentication` with withdrawals and large
 * transfers (lib/auth/reauth.ts).
 */
import { z } from "zod";
import { registerOperations, registerTag } from "../api/openapi.ts";
import "./errors.ts"; // declares the refusals the operation lists
import { text } from "../http/schemas.ts";

export const ReauthenticateBody = z.strictObject({
  // NUL or a lone surrogate cannot be a password Auth stores: a clear 400 here instead of Auth's failure.
  password: text().min(1).max(200).describe("The account password."),
});

export const Reauthentication = z.object({
  reauthentication_token: z.string().describe("Send it as the X-Reauthentication header."),
  expires_in: z.number().int().describe("Seconds the token stays valid (for this session only)."),
});

export function reauthenticationJson(value: { proof: string; expiresIn: number }) {
  return { reauthentication_token: value.proof, expires_in: value.expiresIn };
}

registerTag("auth", "Confirming the signed-in user again before sensitive actions.");

registerOperations("auth", [{
  method: "post",
  path: "/auth/reauthenticate",
  operationId: "reauthenticate",
  summary: "Check the password again; returns a short-lived token for withdrawals and large transfers",
  tag: "auth",
  auth: "user",
  liveSession: true,
  body: ReauthenticateBody,
  response: Reauthentication,
  errors: ["invalid_credentials", "rate_limited", "unavailable"],
}]);
