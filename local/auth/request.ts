/** Per-request helpers used by several endpoints. */
import type { Context } from "hono";
import type { AuthEnv } from "./context.ts";
import { referrer } from "./redirects.ts";

/** GoTrue's GetReferrer: an allowed redirect_to (header or query), else an allowed Referer, else site_url. */
export function redirectTarget(c: Context<AuthEnv>): string {
  const requested = c.req.header("redirect_to") || c.req.query("redirect_to") || undefined;
  return referrer(c.get("emu").config, requested, c.req.header("referer"));
}
