// routes/auth/_routes.ts — the account pages under /auth
import { Hono } from "hono";
import type { AppEnv } from "../../lib/http/env.ts";
import { signup } from "./signup.tsx";
import { signout } from "./signout.ts";
import { forgot } from "./forgot.tsx";
import { magic } from "./magic.tsx";
import { sent } from "./sent.tsx";
import { reset } from "./reset.tsx";
import { oauth } from "./oauth.ts";
import { callback } from "./callback.tsx";
import { code } from "./code.tsx";
import { phone } from "./phone/_routes.ts";

export const auth = new Hono<AppEnv>()
  .route("/signup", signup)
  .route("/signout", signout)
  .route("/forgot", forgot)
  .route("/magic", magic)
  .route("/sent", sent)
  .route("/reset", reset)
  .route("/oauth", oauth)
  .route("/callback", callback)
  .route("/code", code)
  .route("/phone", phone);
