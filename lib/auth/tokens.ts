/** Verifies Supabase access tokens on the server: signature against the project's JWKS, issuer, audience, expiry. */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { config } from "../config.ts";
import type { Claims } from "../db/client.ts";
import { detachedAuth } from "./supabase.ts";
import { BoundedMap } from "../bounded_map.ts";

/** Claims of a verified user access token (Supabase §5.1) plus the hook's `user_role`. */
export interface UserClaims extends Claims {
  sub: string;
  role: string;
  email?: string;
  session_id?: string;
  user_role?: string;
  amr?: { method: string; timestamp: number }[];
  exp: number;
}

/** The token is not acceptable (bad signature, expired, wrong issuer or audience, not a user token). */
export class InvalidToken extends Error {}

/** Rejections that mean "this token is bad"; anything else (JWKS unreachable) is an outage, not a bad token. */
const REJECTIONS = new Set([
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JWS_INVALID",
  "ERR_JWT_INVALID",
  "ERR_JWT_EXPIRED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
]);

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Tokens already verified, until they expire. A signature check costs more than the rest of a small API
 * request, and a token's verdict cannot change before its `exp` (revocation is checked by Auth, not here).
 * Map order is insertion order, so the oldest entries go first when the cache is full.
 */
const verified = new BoundedMap<string, UserClaims>(10_000);

function rememberVerified(key: string, claims: UserClaims): UserClaims {
  verified.set(key, claims);
  return claims;
}

function recallVerified(key: string): UserClaims | undefined {
  const claims = verified.get(key);
  if (claims && claims.exp * 1000 > Date.now()) return claims;
  if (claims) verified.delete(key);
  return undefined;
}

function issuer(): string {
  return `${config().supabaseUrl.replace(/\/+$/, "")}/auth/v1`;
}

/** The JWKS is fetched once and cached (10 min; refetched early when an unknown `kid` shows up). */
function keySet(iss: string) {
  let set = keySets.get(iss);
  if (!set) {
    set = createRemoteJWKSet(new URL(`${iss}/.well-known/jwks.json`), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
    });
    keySets.set(iss, set);
  }
  return set;
}

function asUserClaims(payload: Record<string, unknown>): UserClaims {
  if (
    typeof payload.sub !== "string" || payload.role !== "authenticated" || typeof payload.exp !== "number"
  ) {
    throw new InvalidToken("not a user access token");
  }
  return payload as UserClaims;
}

/**
 * Verifies `token` and returns its claims. Asymmetric tokens (ES256/RS256/EdDSA) are checked locally against
 * the JWKS; a legacy HS256 token can only be checked by Auth itself, so it is sent to GET /auth/v1/user.
 */
export async function verifyAccessToken(token: string): Promise<UserClaims> {
  // Only asymmetric tokens are ever cached, so a hit needs no header parsing.
  const iss = issuer();
  const cacheKey = `${iss} ${token}`;
  const known = recallVerified(cacheKey);
  if (known) return known;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new InvalidToken("malformed token");
  }
  if (alg?.startsWith("HS")) {
    const { error } = await detachedAuth().getUser(token);
    if (error && (error.status ?? 0) >= 400 && (error.status ?? 0) < 500) {
      throw new InvalidToken(error.message);
    }
    if (error) throw error;
    const payload = decodeJwt(token);
    if ((payload.exp ?? 0) * 1000 <= Date.now() || payload.aud !== "authenticated") {
      throw new InvalidToken("expired or wrong audience");
    }
    return asUserClaims(payload);
  }
  try {
    const { payload } = await jwtVerify(token, keySet(iss), {
      issuer: iss,
      audience: "authenticated",
      algorithms: ["ES256", "RS256", "EdDSA"],
    });
    return rememberVerified(cacheKey, asUserClaims(payload));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && REJECTIONS.has(code)) throw new InvalidToken((error as Error).message);
    throw error;
  }
}
