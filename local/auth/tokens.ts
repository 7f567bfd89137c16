/**
 * Access tokens (spec §5): ES256 signing with the local JWK (kid header), the custom access token hook,
 * GoTrue's minimum claim schema, and verification of user and API-key JWTs (kid → ES256, else HS256 secret).
 */
import { importJWK, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type postgres from "postgres";
import type { LocalKeys } from "../keys.ts";
import type { Emulator } from "./context.ts";
import { AuthError, forbidden, internal } from "./errors.ts";
import type { UserRow } from "./users.ts";

export type AccessClaims = JWTPayload & Record<string, unknown>;

interface KeyRing {
  kid: string;
  sign: CryptoKey;
  verify: CryptoKey;
  secret: Uint8Array;
}

const rings = new WeakMap<LocalKeys, Promise<KeyRing>>();

function keyRing(keys: LocalKeys): Promise<KeyRing> {
  if (!rings.has(keys)) {
    rings.set(
      keys,
      (async () => ({
        kid: keys.signingKey.kid!,
        sign: await importJWK(keys.signingKey, "ES256") as CryptoKey,
        verify: await importJWK(keys.publicKey, "ES256") as CryptoKey,
        secret: new TextEncoder().encode(keys.jwtSecret),
      }))(),
    );
  }
  return rings.get(keys)!;
}

/** Claims the hook output must carry (tokens/service.go MinimumViableTokenSchema). */
function validateClaims(claims: unknown): AccessClaims {
  const fail = (why: string) =>
    new AuthError(
      500,
      "unexpected_failure",
      `output claims do not conform to the expected schema: \n- ${why}\n`,
    );
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) throw fail("claims: Invalid type");
  const c = claims as Record<string, unknown>;
  for (
    const key of ["aud", "exp", "iat", "sub", "email", "phone", "role", "aal", "session_id", "is_anonymous"]
  ) {
    if (!(key in c)) throw fail(`(root): ${key} is required`);
  }
  const strings = ["iss", "sub", "email", "phone", "role", "aal", "session_id", "jti", "client_id"];
  for (const key of strings) if (key in c && typeof c[key] !== "string") throw fail(`${key}: Invalid type`);
  for (const key of ["exp", "iat", "nbf"]) {
    if (key in c && !Number.isInteger(c[key])) throw fail(`${key}: Invalid type`);
  }
  if (typeof c.aud !== "string" && !Array.isArray(c.aud)) throw fail("aud: Invalid type");
  if ("amr" in c && !Array.isArray(c.amr)) throw fail("amr: Invalid type");
  return c as AccessClaims;
}

/** Runs `public.custom_access_token_hook` as supabase_auth_admin inside the issuing transaction. */
async function runHook(
  tx: postgres.TransactionSql,
  emu: Emulator,
  userId: string,
  claims: AccessClaims,
  method: string,
): Promise<AccessClaims> {
  const hook = emu.config.customAccessTokenHook!;
  const event = { user_id: userId, claims, authentication_method: method };
  let output: Record<string, unknown>;
  try {
    output = await tx.savepoint(async (sp) => {
      await sp`set local role supabase_auth_admin`;
      const [row] = await sp<{ out: Record<string, unknown> }[]>`
        select ${sp(hook.schema)}.${sp(hook.name)}(${sp.json(event as never)}::jsonb) as out`;
      await sp`set local role none`;
      return row.out;
    });
  } catch (error) {
    throw internal(`Error running hook URI: pg-functions://postgres/${hook.schema}/${hook.name}: ${error}`);
  }
  const hookError = output?.error as { http_code?: number; message?: string } | undefined;
  if (hookError?.message) {
    const status = (hookError.http_code || 500) as 500;
    throw new AuthError(status, status === 500 ? "unexpected_failure" : "unknown", hookError.message);
  }
  if (!output || !("claims" in output)) throw internal("output claims field is missing");
  return validateClaims(output.claims);
}

/** Signs a user access token for a session (GenerateAccessToken); returns the JWT and its `exp`. */
export async function generateAccessToken(
  tx: postgres.TransactionSql,
  emu: Emulator,
  user: UserRow,
  sessionId: string,
  method: string,
): Promise<{ token: string; expiresAt: number }> {
  const amr = await tx<{ method: string; timestamp: number }[]>`
    select authentication_method as method, extract(epoch from updated_at)::bigint::int as timestamp
    from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at desc`;
  const iat = Math.floor(emu.now().getTime() / 1000);
  let claims: AccessClaims = {
    iss: emu.externalUrl,
    sub: user.id,
    aud: user.aud ?? "",
    exp: iat + emu.config.jwtExpiry,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? "",
    aal: "aal1",
    amr: amr.map((a) => ({ method: a.method, timestamp: Number(a.timestamp) })),
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  if (emu.config.customAccessTokenHook) claims = await runHook(tx, emu, user.id, claims, method);
  const ring = await keyRing(emu.keys);
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: ring.kid, typ: "JWT" })
    .sign(ring.sign);
  return { token, expiresAt: Number(claims.exp) };
}

/**
 * Verifies a JWT issued by the local stack (user tokens: ES256 with the stack's kid; API keys: HS256 with the
 * JWT secret). Throws jose's error; shared by the Auth and Storage stand-ins.
 */
export async function verifyStackJwt(keys: LocalKeys, token: string, now: Date): Promise<AccessClaims> {
  const ring = await keyRing(keys);
  const { payload } = await jwtVerify(token, (header) => {
    if (header.kid === ring.kid) return ring.verify;
    if (header.alg === "HS256") return ring.secret;
    throw new Error(`unrecognized JWT kid ${header.kid ?? "<nil>"} for algorithm ${header.alg}`);
  }, { algorithms: ["ES256", "HS256"], currentDate: now, clockTolerance: 0 });
  return payload as AccessClaims;
}

/** Verifies a bearer JWT like GoTrue's parseJWTClaims: 403 bad_jwt on any failure. */
export async function verifyJwt(emu: Emulator, token: string): Promise<AccessClaims> {
  try {
    return await verifyStackJwt(emu.keys, token, emu.now());
  } catch (error) {
    const reason = (error as { code?: string }).code === "ERR_JWT_EXPIRED"
      ? "token has invalid claims: token is expired"
      : (error as Error).message;
    throw forbidden("bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`);
  }
}

/** A legacy refresh token: 12 characters of lower-case base32 (crypto.SecureAlphanumeric(12)). */
export function newRefreshToken(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  return [...crypto.getRandomValues(new Uint8Array(12))].map((b) => alphabet[b & 31]).join("");
}
