// routes/auth/callback.ts — GET /auth/callback (Auth sends people back here from emailed links and OAuth)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { validate } from "../../lib/http/validate.ts";
import { completeCallback } from "../../lib/auth/sign_in.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { markRecovery, takeNext } from "../../lib/auth/flow_cookies.ts";

const query = z.object({
  code: text().min(1).max(200).optional(),
  token_hash: text().min(1).max(200).optional(),
  type: z.enum(["signup", "magiclink", "recovery", "email", "invite", "email_change"]).optional(),
  error: text().max(200).optional(),
  error_code: text().max(200).optional(),
});

export const callback = new Hono<AppEnv>().get("/", validate("query", query), async (c) => {
  const { code, token_hash, type, error } = c.req.valid("query");
  const next = takeNext(c);
  // The provider's consent page answers "access_denied" when the person cancels.
  if (error === "access_denied" && !c.req.valid("query").error_code) {
    return c.redirect("/signin?problem=cancelled", 303);
  }
  if (error || (!code && !token_hash)) return c.redirect("/signin?problem=link_invalid", 303);
  const outcome = await completeCallback(
    c.var.auth(),
    { code, tokenHash: token_hash, type },
    requestContext(c),
  );
  if (!outcome.ok) {
    // A confirmation link opened in another browser has no PKCE verifier here; the email may still be confirmed.
    const missingVerifier = outcome.problem === "link_invalid" && code &&
      !c.req.header("cookie")?.includes("-code-verifier");
    return c.redirect(
      missingVerifier ? "/signin?notice=other_browser" : `/signin?problem=${outcome.problem}`,
      303,
    );
  }
  if (outcome.value.recovery) {
    markRecovery(c, outcome.value.userId);
    return c.redirect("/auth/reset", 303);
  }
  return c.redirect(next, 303);
});
