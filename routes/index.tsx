// routes/index.tsx — GET / (the home page: sign up or sign in; signed in, the way to the wallet)
import { Hono } from "hono";
import type { AppEnv } from "../lib/http/env.ts";
import { renderPage } from "../components/render.tsx";
import { HomePage } from "../components/home/HomePage.tsx";

export const home = new Hono<AppEnv>().get("/", (c) => {
  return renderPage(c, <HomePage t={c.var.t} locale={c.var.locale} viewer={c.var.viewer} />, {
    title: c.var.t("home.title"),
  });
});
