/**
 * The OpenAPI 3.1 document of /api/v1. Domains describe their own operations in lib/<domain>/api.ts with
 * `registerOperations`; this module only collects them. Schemas are generated from the same zod schemas the
 * routes validate with (`z.toJSONSchema`), and error responses from the refusal tables (`declaredRefusals`).
 */
import { z, type ZodType } from "zod";
import { declaredRefusals } from "../errors.ts";

/**
 * Who may call: anyone, a signed-in user, a staff permission, or an API key made under /admin/api-keys with
 * the given scope (`{ apiKeyScope }`: Authorization: Bearer pk_live_…).
 */
export type Auth = "public" | "user" | { permission: string; liveSession?: boolean } | {
  apiKeyScope: string;
};

export interface Operation {
  method: "get" | "post" | "put" | "patch";
  /** OpenAPI path under /api/v1, e.g. /wallet/transfers or /admin/withdrawals/{id}/approve. */
  path: string;
  /** Unique, stable camelCase name (generated clients name their methods after it). */
  operationId: string;
  summary: string;
  /** One tag, declared with `registerTag`. */
  tag: string;
  auth: Auth;
  idempotent?: boolean;
  /** The session must still be known to Auth (a revoked session answers 401 `session_ended`). */
  liveSession?: boolean;
  /**
   * Needs a fresh re-authentication token in `X-Reauthentication` (from POST /auth/reauthenticate): always,
   * or only for amounts at or above TRANSFER_REAUTH_MIN_RIAL ("large").
   */
  reauthentication?: "always" | "large";
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  response: ZodType;
  /** The success body's media type; for text/event-stream, `response` describes each event's data. */
  contentType?: "application/json" | "text/event-stream";
  /** Success status (201 for creations; replays answer 200 with the original result). */
  status?: 200 | 201;
  /**
   * Refusal codes the operation itself may answer with (declared in a refusal table). Those implied by the
   * operation's shape (input, sign-in, permission, API key, JSON body, Idempotency-Key) are added here.
   */
  errors?: readonly string[];
}

interface Registered extends Operation {
  domain: string;
}

const operations: Registered[] = [];
const tags = new Map<string, string>();

/** Declares a tag and its description (each operation's tag must be declared). */
export function registerTag(name: string, description: string): void {
  const known = tags.get(name);
  if (known !== undefined && known !== description) throw new Error(`OpenAPI tag ${name} is declared twice`);
  tags.set(name, description);
}

/** Adds a domain's operations to the document; a repeated operationId or method and path is an error. */
export function registerOperations(domain: string, ops: readonly Operation[]): void {
  for (const op of ops) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(op.operationId)) throw new Error(`operationId ${op.operationId}`);
    const clash = operations.find((o) =>
      o.operationId === op.operationId || (o.method === op.method && o.path === op.path)
    );
    if (clash) {
      // Re-registering the same operation (a module evaluated twice) is harmless; anything else is a bug.
      if (clash.domain === domain && clash.operationId === op.operationId) continue;
      throw new Error(`OpenAPI operation ${op.operationId} (${op.method} ${op.path}) clashes with ${domain}`);
    }
    operations.push({ ...op, domain });
  }
}

/** Every registered operation, in registration order. */
export function registeredOperations(): readonly Registered[] {
  return operations;
}

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
  if (op.reauthentication) {
    out.push({
      name: "X-Reauthentication",
      in: "header",
      required: op.reauthentication === "always",
      description: op.reauthentication === "always"
        ? "The token from POST /auth/reauthenticate (the password checked again), valid a few minutes for this session."
        : "Needed for amounts at or above the re-authentication threshold (100,000,000 rials unless configured): the token from POST /auth/reauthenticate.",
      schema: { type: "string", maxLength: 1000 },
    });
  }
  return out;
}

function security(auth: Auth) {
  if (auth === "public") return [];
  if (typeof auth === "object" && "apiKeyScope" in auth) return [{ apiKey: [] }];
  return [{ bearerAuth: [] }, { sessionCookie: [] }];
}

/** The refusal codes an operation may answer with: its own and those its shape implies. */
export function operationErrors(op: Operation): string[] {
  const codes: string[] = [];
  if (op.params || op.query || op.body) codes.push("invalid_input");
  const staff = typeof op.auth === "object" && "permission" in op.auth ? op.auth : undefined;
  if (op.auth === "user" || staff) codes.push("unauthorized");
  if (staff) codes.push("forbidden");
  if (staff?.liveSession || op.liveSession) codes.push("session_ended");
  if (op.reauthentication) codes.push("reauthentication_required");
  if (typeof op.auth === "object" && "apiKeyScope" in op.auth) {
    codes.push("api_key_required", "api_key_invalid", "api_key_scope");
  }
  // A body that is not JSON is a 415, malformed JSON a 400; a cross-site unsafe request is refused (csrf, 403).
  if (op.body) codes.push("json_required", "bad_request");
  if (op.method !== "get") codes.push("forbidden");
  if (op.idempotent) {
    codes.push("idempotency_key_required", "invalid_idempotency_key", "idempotency_conflict");
  }
  codes.push(...op.errors ?? []);
  return [...new Set(codes)];
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Error responses by status, each listing its codes (from the refusal tables) in its description and schema. */
function errorResponses(op: Operation) {
  const declared = new Map(declaredRefusals().map((r) => [r.code, r.spec]));
  const byStatus = new Map<number, string[]>();
  for (const code of operationErrors(op)) {
    const spec = declared.get(code);
    if (!spec) throw new Error(`${op.operationId}: refusal ${code} is not declared`);
    byStatus.set(spec.status, [...byStatus.get(spec.status) ?? [], code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const body = z.object({
      error: z.object({ code: z.enum(codes as [string, ...string[]]), message: z.string() }),
    });
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${declared.get(code)!.message}`).join("\n"),
      content: { "application/json": { schema: json(body) } },
    };
  }
  if (byStatus.size === 0) {
    responses["4XX"] = {
      description: "A client error",
      content: { "application/json": { schema: json(ErrorBody) } },
    };
  }
  return responses;
}

function operation(op: Operation) {
  const success = { content: { [op.contentType ?? "application/json"]: { schema: json(op.response) } } };
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    ...(typeof op.auth === "object"
      ? {
        description: "permission" in op.auth
          ? `Needs the ${op.auth.permission} permission.`
          : `Needs an API key with the ${op.auth.apiKeyScope} scope.`,
      }
      : {}),
    security: security(op.auth),
    parameters: parameters(op),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: json(op.body) } } } }
      : {}),
    responses: {
      [String(op.status ?? 200)]: { description: op.status === 201 ? "Created" : "OK", ...success },
      ...(op.status === 201 && op.idempotent
        ? { "200": { description: "Replay of an earlier request with the same key", ...success } }
        : {}),
      ...errorResponses(op),
    },
  };
}

registerTag("meta", "The API's own description.");
registerOperations("api", [{
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  summary: "This document",
  tag: "meta",
  auth: "public",
  response: z.record(z.string(), z.unknown()),
}]);

/** The whole document, from the operations registered so far; `serverUrl` is the app's origin. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    if (!tags.has(op.tag)) throw new Error(`${op.operationId}: tag ${op.tag} is not declared`);
    (paths[op.path] ??= {})[op.method] = operation(op);
  }
  const used = new Set(operations.map((op) => op.tag));
  return {
    openapi: "3.1.0",
    info: {
      title: "Pishkhan wallet API",
      version: "1.0.0",
      description:
        "Amounts are integers in rials (IRR). Authenticate with `Authorization: Bearer <access token>` or the session cookie; with a cookie, unsafe requests must be `Content-Type: application/json` (cross-site forms cannot send that). Errors are `{error: {code, message}}` with the message in the request's language (locale cookie or Accept-Language).",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: `${serverUrl.replace(/\/+$/, "")}/api/v1` }],
    tags: [...tags].filter(([name]) => used.has(name)).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT (Supabase access token)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "sb-session" },
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "pk_live_…",
          description:
            "An API key made by an admin under /admin/api-keys (service callers). The project's secret key is not accepted.",
        },
      },
    },
    paths,
  };
}
