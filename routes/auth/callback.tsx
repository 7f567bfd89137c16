// routes/auth/callback.tsx — GET /auth/callback (Auth sends people back here from emailed links and OAuth),
// POST /auth/callback (the confirm page's button: only then is an emailed link's token used)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { validate } from "../../lib/http/validate.ts";
import { type CallbackParams, completeCallback, EMAIL_LINK_TYPES } from "../../lib/auth/sign_in.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { markRecovery, takeNext } from "../../lib/auth/flow_cookies.ts";
import { renderPage } from "../../components/render.tsx";
import { LinkConfirmPage } from "../../components/auth/LinkConfirmPage.tsx";

const tokenHash = text().min(1).max(200);
const query = z.object({
  code: text().min(1).max(200).optional(),
  token_hash: tokenHash.optional(),
  type: z.enum(EMAIL_LINK_TYPES).optional(),
  error: text().max(200).optional(),
  error_code: text().max(200).optional(),
});
const form = z.object({ token_hash: tokenHash, type: z.enum(EMAIL_LINK_TYPES) });

/** Uses the code or token hash (which sets the session cookies) and goes where the flow was headed. */
async function complete(c: AppContext, params: CallbackParams) {
  const next = takeNext(c);
  const outcome = await completeCallback(c.var.auth(), params, requestContext(c));
  if (!outcome.ok) {
    // A confirmation link opened in another browser has no PKCE verifier here; the email may still be confirmed.
    const missingVerifier = outcome.problem === "link_invalid" && params.code &&
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
}

export const callback = new Hono<AppEnv>()
  .get("/", validate("query", query), async (c) => {
    const { code, token_hash, type, error } = c.req.valid("query");
    // The provider's consent page answers "access_denied" when the person cancels.
    if (error === "access_denied" && !c.req.valid("query").error_code) {
      return c.redirect("/signin?problem=cancelled", 303);
    }
    if (error || (!code && !token_hash)) return c.redirect("/signin?problem=link_invalid", 303);
    // A PKCE code only works in the browser that started the flow (its verifier is in a cookie here), so it
    // is used at once. A token hash works in any browser: it waits for a button press (login CSRF).
    if (code) return await complete(c, { code });
    if (!type) return c.redirect("/signin?problem=link_invalid", 303);
    const t = c.var.t;
    return renderPage(
      c,
      <LinkConfirmPage
        t={t}
        tokenHash={token_hash!}
        type={type}
        signedInAs={c.var.claims && (c.var.claims.email ?? c.var.claims.sub)}
      />,
      { title: t("auth.linkConfirm.title") },
    );
  })
  .post("/", validate("form", form), async (c) => {
    const { token_hash, type } = c.req.valid("form");
    return await complete(c, { tokenHash: token_hash, type });
  });
