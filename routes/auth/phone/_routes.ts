// routes/auth/phone/_routes.ts — sign-in and sign-up with a mobile number and a code by SMS, under /auth/phone
import { Hono } from "hono";
import type { AppEnv } from "../../../lib/http/env.ts";
import { phoneSignin } from "./index.tsx";
import { phoneSignup } from "./signup.tsx";
import { phoneCode } from "./code.tsx";
import { phoneResend } from "./resend.ts";

export const phone = new Hono<AppEnv>()
  .route("/", phoneSignin)
  .route("/signup", phoneSignup)
  .route("/code", phoneCode)
  .route("/resend", phoneResend);
