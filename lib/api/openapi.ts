/** The OpenAPI 3.1 document of /api/v1, assembled from the same zod schemas the routes validate with. */
import { z, type ZodType } from "zod";
import * as s from "./schemas.ts";

type Auth = "public" | "user" | "secret" | { permission: string };

export interface Operation {
  method: "get" | "post";
  /** OpenAPI path under /api/v1, e.g. /wallet/transfers or /admin/withdrawals/{id}/approve. */
  path: string;
  summary: string;
  auth: Auth;
  idempotent?: boolean;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  response: ZodType;
  /** Success status (201 for creations; replays answer 200 with the original result). */
  status?: 200 | 201;
}

/** Every route of /api/v1 (a test checks this list against the mounted routes). */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/wallet", summary: "My wallet's balances", auth: "user", response: s.Wallet },
  {
    method: "get",
    path: "/wallet/entries",
    summary: "My wallet's entries, newest first (keyset pagination)",
    auth: "user",
    query: s.EntriesQuery,
    response: s.EntriesPage,
  },
  {
    method: "post",
    path: "/wallet/transfers",
    summary: "Transfer to another user by email or phone",
    auth: "user",
    idempotent: true,
    body: s.TransferBody,
    response: s.Posting,
    status: 201,
  },
  {
    method: "post",
    path: "/withdrawals",
    summary: "Request a withdrawal to a Sheba IBAN (the amount is held at once)",
    auth: "user",
    idempotent: true,
    body: s.WithdrawalBody,
    response: s.Withdrawal,
    status: 201,
  },
  {
    method: "get",
    path: "/withdrawals",
    summary: "My withdrawals, newest first",
    auth: "user",
    query: s.WithdrawalsQuery,
    response: s.WithdrawalsPage,
  },
  {
    method: "post",
    path: "/charges",
    summary: "Charge a user's wallet for a service (secret key only)",
    auth: "secret",
    idempotent: true,
    body: s.ChargeBody,
    response: s.Posting,
    status: 201,
  },
  {
    method: "post",
    path: "/admin/wallets/{user_id}/adjustments",
    summary: "Adjust a wallet by a signed amount with a reason (audited)",
    auth: { permission: "wallet.adjust" },
    idempotent: true,
    params: s.UserIdParam,
    body: s.AdjustmentBody,
    response: s.Posting,
    status: 201,
  },
  {
    method: "get",
    path: "/admin/wallets/{user_id}",
    summary: "A user's wallet and latest entries",
    auth: { permission: "wallet.view" },
    params: s.UserIdParam,
    response: s.StaffWallet,
  },
  {
    method: "post",
    path: "/admin/withdrawals/{id}/approve",
    summary: "Mark a withdrawal paid with the bank's reference (audited)",
    auth: { permission: "withdrawals.manage" },
    params: s.IdParam,
    body: s.ApproveBody,
    response: s.Withdrawal,
  },
  {
    method: "post",
    path: "/admin/withdrawals/{id}/reject",
    summary: "Refuse a withdrawal with a reason; the held amount is released (audited)",
    auth: { permission: "withdrawals.manage" },
    params: s.IdParam,
    body: s.RejectBody,
    response: s.Withdrawal,
  },
  {
    method: "get",
    path: "/admin/ledger/health",
    summary: "Run the ledger's invariant check; list system account balances",
    auth: { permission: "wallet.view" },
    response: s.LedgerHealth,
  },
  {
    method: "get",
    path: "/openapi.json",
    summary: "This document",
    auth: "public",
    response: z.record(z.string(), z.unknown()),
  },
];

const json = (schema: ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

function parameters(op: Operation) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [["path", op.params], ["query", op.query]] as const) {
    if (!schema) continue;
    const shape = json(schema) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === "path" || !!shape.required?.includes(name),
        schema: property,
      });
    }
  }
  if (op.idempotent) {
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: true,
      description:
        "1-255 visible ASCII characters, new per intended operation. The same key with the same request returns the original result (200); with a different request, 409.",
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  }
  return out;
}

function security(auth: Auth) {
  if (auth === "public") return [];
  if (auth === "secret") return [{ secretKey: [] }, { apiKeyHeader: [] }];
  return [{ bearerAuth: [] }, { sessionCookie: [] }];
}

const ERRORS = {
  "400": "Bad input (names the field), missing or malformed Idempotency-Key",
  "401": "Not signed in / no secret key",
  "403": "Missing permission / wrong secret key",
  "404": "No such user, wallet or withdrawal",
  "409": "Idempotency key reused for a different request; withdrawal already decided",
  "415": "Unsafe requests must send Content-Type: application/json (CSRF protection for cookie sessions)",
  "422": "Refused by the ledger: insufficient funds, invalid amount or IBAN, transfer to yourself",
};

function operation(op: Operation) {
  const errorResponse = { content: { "application/json": { schema: json(s.ErrorBody) } } };
  return {
    summary: op.summary,
    ...(typeof op.auth === "object" ? { description: `Needs the ${op.auth.permission} permission.` } : {}),
    security: security(op.auth),
    parameters: parameters(op),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: json(op.body) } } } }
      : {}),
    responses: {
      [String(op.status ?? 200)]: {
        description: "OK",
        content: { "application/json": { schema: json(op.response) } },
      },
      ...(op.status === 201
        ? { "200": { description: "Replay of an earlier request with the same key" } }
        : {}),
      ...Object.fromEntries(
        Object.entries(ERRORS).map(([code, description]) => [code, { description, ...errorResponse }]),
      ),
    },
  };
}

/** The whole document; `serverUrl` is the app's origin. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Pishkhan wallet API",
      version: "1.0.0",
      description:
        "Amounts are integers in rials (IRR). Authenticate with `Authorization: Bearer <access token>` or the session cookie; with a cookie, unsafe requests must be `Content-Type: application/json` (cross-site forms cannot send that). Errors are `{error: {code, message}}` with the message in the request's language (locale cookie or Accept-Language).",
    },
    servers: [{ url: `${serverUrl.replace(/\/+$/, "")}/api/v1` }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT (Supabase access token)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "sb-session" },
        secretKey: {
          type: "http",
          scheme: "bearer",
          description: "The project's secret key (service callers)",
        },
        apiKeyHeader: { type: "apiKey", in: "header", name: "apikey" },
      },
    },
    paths,
  };
}
