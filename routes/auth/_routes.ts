// routes/auth/_routes.ts — the account pages under /auth, mounted together by main.ts
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { signup } from "./signup.tsx";
import { signout } from "./signout.ts";
import { forgot } from "./forgot.tsx";
import { magic } from "./magic.tsx";
import { sent } from "./sent.tsx";
import { reset } from "./reset.tsx";
import { oauth } from "./oauth.ts";
import { callback } from "./callback.ts";

export const authRoutes = new Hono<AppEnv>()
  .route("/", signup)
  .route("/", signout)
  .route("/", forgot)
  .route("/", magic)
  .route("/", sent)
  .route("/", reset)
  .route("/", oauth)
  .route("/", callback);
