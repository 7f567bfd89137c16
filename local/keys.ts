/** The local stack's API keys and token-signing key, with the Supabase CLI's local defaults. */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { existsSync } from "node:fs";

/** The Supabase CLI's local JWT secret (legacy HS256 keys are signed with it). */
export const LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
export const LOCAL_PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
export const LOCAL_SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
export const LOCAL_SIGNING_KID = "b81269f1-21d8-4f2e-b719-c2240a840d90";

export interface LocalKeys {
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  jwtSecret: string;
  /** ES256 private JWK (with kid) that signs user access tokens. */
  signingKey: JWK;
  /** The public half, as published at /auth/v1/.well-known/jwks.json. */
  publicKey: JWK;
}

async function legacyKey(role: "anon" | "service_role"): Promise<string> {
  return await new SignJWT({ iss: "supabase-demo", role, exp: 1983812996 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return {
    ...(await exportJWK(privateKey)),
    kid: LOCAL_SIGNING_KID,
    alg: "ES256",
    use: "sig",
    key_ops: ["sign"],
  };
}

/**
 * Loads the keys; the ES256 key is made once and kept in `keyFile` (under .local/) so sessions survive
 * restarts. Without `keyFile` (tests) a fresh key is made.
 */
export async function loadLocalKeys(keyFile?: string): Promise<LocalKeys> {
  let signingKey: JWK;
  if (keyFile && existsSync(keyFile)) {
    signingKey = JSON.parse(await Deno.readTextFile(keyFile));
  } else {
    signingKey = await newSigningKey();
    if (keyFile) await Deno.writeTextFile(keyFile, JSON.stringify(signingKey), { mode: 0o600 });
  }
  const { d: _private, key_ops: _ops, ...publicKey } = signingKey;
  return {
    anonKey: await legacyKey("anon"),
    serviceRoleKey: await legacyKey("service_role"),
    publishableKey: LOCAL_PUBLISHABLE_KEY,
    secretKey: LOCAL_SECRET_KEY,
    jwtSecret: LOCAL_JWT_SECRET,
    signingKey,
    publicKey: { ...publicKey, key_ops: ["verify"] },
  };
}
