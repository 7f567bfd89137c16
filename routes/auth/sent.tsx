// routes/auth/sent.tsx — GET /auth/sent?kind=signup|magic|recovery ("check your email")
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { validate } from "../../lib/http/validate.ts";

const query = z.object({ kind: z.enum(["signup", "magic", "recovery"]) });

export const sent = new Hono<AppEnv>().get("/", validate("query", query), (c) => {
  const { kind } = c.req.valid("query");
  const t = c.var.t;
  return renderPage(
    c,
    <section class="card narrow auth-card" aria-labelledby="sent-title">
      <h1 id="sent-title">{t("auth.sent.title")}</h1>
      <p class="alert alert-success" role="status">{t(`auth.sent.body.${kind}`)}</p>
      <p>{t("auth.sent.hint")}</p>
      <p>
        <a href="/signin">{t("auth.backToSignin")}</a>
      </p>
    </section>,
    { title: t("auth.sent.title") },
  );
});
