/**
 * Request plumbing: the gateway's key rule (spec §1), bearer-JWT authentication (auth.go
 * requireAuthentication), admin checks (requireAdminCredentials), client IP and JSON bodies.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import type { z } from "zod";
import type { AuthEnv, Emulator, GrantParams } from "./context.ts";
import { AuthError, badRequest, forbidden } from "./errors.ts";
import type { AccessClaims } from "./tokens.ts";
import { verifyJwt } from "./tokens.ts";
import { findUserById, isBanned } from "./users.ts";

type Ctx = Context<AuthEnv>;

/** Kong's BearerToken template from the CLI: sb_ keys become the anon / service_role JWTs. */
export function gatewayAuthorization(emu: Pick<Emulator, "keys">, headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  const apikey = headers.get("apikey");
  if (authorization && !authorization.startsWith("Bearer sb_")) return authorization;
  if (apikey === emu.keys.secretKey) return `Bearer ${emu.keys.serviceRoleKey}`;
  if (apikey === emu.keys.publishableKey) return `Bearer ${emu.keys.anonKey}`;
  return apikey ?? undefined;
}

/** The caller's IP: the first X-Forwarded-For value, else the socket's address. */
export function clientIp(c: Ctx): string {
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0].trim();
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function grantParams(c: Ctx): GrantParams {
  const ip = clientIp(c);
  return { userAgent: c.req.header("user-agent") ?? null, ip: /^[0-9a-f.:]+$/i.test(ip) ? ip : null };
}

function bearer(c: Ctx): string {
  const match = (c.get("authorization") ?? "").match(/^(?:B|b)earer (\S+)$/);
  if (!match) throw new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  return match[1];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads the JWT's user and session (maybeLoadUserOrSession); 403 session_not_found after logout. */
async function loadUserAndSession(c: Ctx, claims: AccessClaims): Promise<void> {
  const emu = c.get("emu");
  if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!UUID.test(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(emu.sql, claims.sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  c.set("user", user);
  const sessionId = typeof claims.session_id === "string" ? claims.session_id : "";
  c.set("session", undefined);
  if (sessionId && sessionId !== "00000000-0000-0000-0000-000000000000") {
    if (!UUID.test(sessionId)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    const [session] = await emu.sql<
      { id: string; user_id: string; created_at: Date; not_after: Date | null }[]
    >`
      select id, user_id, created_at, not_after from auth.sessions where id = ${sessionId}`;
    if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
    c.set("session", session);
  }
}

/** Endpoints that need a user access token. */
export const requireUser: MiddlewareHandler<AuthEnv> = async (c, next) => {
  const claims = await verifyJwt(c.get("emu"), bearer(c));
  c.set("claims", claims);
  await loadUserAndSession(c, claims);
  if (isBanned(c.get("user"), c.get("emu").now())) throw forbidden("user_banned", "User is banned");
  await next();
};

const ADMIN_ROLES = ["service_role", "supabase_admin"];

/** /admin/* and /invite: a JWT whose role is an admin role (the secret key becomes one at the gateway). */
export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  const claims = await verifyJwt(c.get("emu"), bearer(c));
  c.set("claims", claims);
  if (typeof claims.session_id === "string" && claims.session_id) await loadUserAndSession(c, claims);
  if (!ADMIN_ROLES.includes(String(claims.role))) throw forbidden("not_admin", "User not allowed");
  await next();
};

/** Parses a JSON body like Go's json.Unmarshal: bad JSON or wrong types are 400 bad_json; empty is `{}`. */
export async function readJson<T extends z.ZodType>(c: Ctx, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let raw: unknown = {};
  try {
    if (text.trim()) raw = JSON.parse(text);
  } catch (error) {
    throw badRequest("bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(
      "bad_json",
      `Could not parse request body as JSON: ${issue.path.join(".")} ${issue.message}`,
    );
  }
  return parsed.data;
}
