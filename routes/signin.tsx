// routes/signin.tsx — GET /signin (placeholder until accounts land)
import { Hono } from "hono";
import type { AppEnv } from "../lib/http/env.ts";
import { renderPage } from "../lib/http/render.tsx";

export const signin = new Hono<AppEnv>().get("/signin", (c) => {
  const t = c.var.t;
  return renderPage(
    c,
    <section class="card narrow">
      <h1>{t("signin.title")}</h1>
      <p>{t("signin.soon")}</p>
    </section>,
    { title: t("signin.title") },
  );
});
