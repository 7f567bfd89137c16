// routes/auth/sent.tsx — GET /auth/sent?kind=signup|magic|recovery ("check your email")
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";
import { SentPage } from "../../components/auth/SentPage.tsx";

const query = z.object({ kind: z.enum(["signup", "magic", "recovery"]) });

export const sent = new Hono<AppEnv>().get("/", validate("query", query), (c) => {
  return renderPage(c, <SentPage t={c.var.t} kind={c.req.valid("query").kind} />, {
    title: c.var.t("auth.sent.title"),
  });
});
