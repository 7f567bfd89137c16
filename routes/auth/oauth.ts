// routes/auth/oauth.ts — GET /auth/oauth/:provider (start GitHub or Google sign-in with PKCE)
import { LANDING } from "../../lib/auth/fields.ts";
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { validate } from "../../lib/http/validate.ts";
import { OAUTH_PROVIDERS, startOAuth } from "../../lib/auth/sign_in.ts";
import { appOrigin } from "../../lib/auth/supabase.ts";
import { rememberNext } from "../../lib/auth/flow_cookies.ts";

const params = z.object({ provider: z.enum(OAUTH_PROVIDERS) });
const query = z.object({ next: text().max(500).optional() });

export const oauth = new Hono<AppEnv>().get(
  "/:provider",
  validate("param", params),
  validate("query", query),
  async (c) => {
    const { provider } = c.req.valid("param");
    rememberNext(c, c.req.valid("query").next ?? LANDING);
    const outcome = await startOAuth(c.var.auth(), provider, `${appOrigin(c)}/auth/callback`);
    if (!outcome.ok) return c.redirect(`/signin?problem=${outcome.problem}`, 303);
    return c.redirect(outcome.value, 303);
  },
);
