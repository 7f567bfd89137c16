/**
 * Who is calling and how their SQL runs (spec §1.1, §1.5): the bearer JWT is verified like the Auth
 * emulator does (stack key ring, after Kong's sb_ key rewrite), and every transaction sets the role and
 * request.jwt.* settings as storage-api does, so hosted RLS decides.
 */
import type postgres from "postgres";
import { gatewayAuthorization } from "../auth/guards.ts";
import type { AccessClaims } from "../auth/tokens.ts";
import { verifyStackJwt } from "../auth/tokens.ts";
import type { LocalKeys } from "../keys.ts";
import { accessDenied } from "./errors.ts";

export interface Caller {
  claims: AccessClaims;
  /** The raw JWT ('' for the anon fallback). */
  token: string;
  role: "anon" | "authenticated" | "service_role";
}

const ROLES = new Set(["anon", "authenticated", "service_role"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The verified caller. `tolerant` routes (GET/HEAD /object/{bucket}/{path}) treat a missing or invalid JWT
 * as anon; all others refuse it with AccessDenied and jose's message.
 */
export async function caller(
  keys: LocalKeys,
  headers: Headers,
  now: Date,
  tolerant = false,
): Promise<Caller> {
  const authorization = gatewayAuthorization({ keys }, headers) ?? "";
  const token = authorization.replace(/^bearer\s+/i, "");
  try {
    const claims = await verifyStackJwt(keys, token, now);
    const role = String(claims.role ?? "");
    return { claims, token, role: (ROLES.has(role) ? role : "anon") as Caller["role"] };
  } catch (error) {
    if (tolerant) return { claims: { role: "anon" }, token: "", role: "anon" };
    throw accessDenied((error as Error).message);
  }
}

/** The owner columns an upload writes: `owner` only when `sub` is a UUID, `owner_id` = sub. */
export function ownerOf(who: Caller): { owner: string | null; owner_id: string | null } {
  const sub = typeof who.claims.sub === "string" ? who.claims.sub : null;
  return { owner: sub && UUID.test(sub) ? sub : null, owner_id: sub };
}

/** Runs `fn` in a transaction as the caller (transaction-local role and request.jwt.* settings). */
export async function asCaller<T>(
  sql: postgres.Sql,
  who: Caller,
  request: { method: string; path: string; operation: string },
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', ${who.role}, true),
                    set_config('request.jwt.claim.role', ${who.role}, true),
                    set_config('request.jwt', ${who.token}, true),
                    set_config('request.jwt.claim.sub', ${String(who.claims.sub ?? "")}, true),
                    set_config('request.jwt.claims', ${JSON.stringify(who.claims)}, true),
                    set_config('request.method', ${request.method}, true),
                    set_config('request.path', ${request.path}, true),
                    set_config('storage.operation', ${request.operation}, true),
                    set_config('storage.allow_delete_query', 'true', true)`;
    return await fn(tx);
  }) as T;
}
