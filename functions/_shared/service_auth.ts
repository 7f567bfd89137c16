/** Server-to-server callers (pg_cron through net.http_post) authenticate with the project's secret key. */
import { config } from "../../lib/config.ts";
import { bearerToken } from "./http.ts";

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Compares digests, so the time taken says nothing about how much of the key matched. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

/** True when the request carries the secret key (sb_secret_…) or the legacy service_role key. */
export async function isServiceCaller(request: Request): Promise<boolean> {
  const given = bearerToken(request) ?? request.headers.get("apikey") ?? "";
  if (!given) return false;
  const c = config();
  const accepted = [c.secretKey, c.SUPABASE_SECRET_KEY, c.SUPABASE_SERVICE_ROLE_KEY].filter((
    k,
  ): k is string => !!k);
  const matches = await Promise.all(accepted.map((key) => sameSecret(given, key)));
  return matches.some(Boolean);
}
