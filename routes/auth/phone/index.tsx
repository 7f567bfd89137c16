// routes/auth/phone/index.tsx — GET/POST /auth/phone (a mobile number; a sign-in code goes to it by SMS)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { sendSignInCode } from "../../../lib/phone/flows.ts";
import { mobileField, rememberPending } from "../../../lib/phone/fields.ts";
import { phoneStatus } from "../../../lib/phone/errors.ts";
import { type PhoneFormState, PhoneSignInPage } from "../../../components/phone/PhonePages.tsx";
import { LANDING } from "../../../lib/auth/fields.ts";

const form = z.object({ phone: mobileField });

const render = (c: AppContext, state: PhoneFormState, status: 200 | 400 | 409 | 429 | 503 = 200) =>
  renderPage(c, <PhoneSignInPage t={c.var.t} locale={c.var.locale} state={state} />, {
    title: c.var.t("phone.signin.title"),
    status,
  });

export const phoneSignin = new Hono<AppEnv>()
  .get("/", (c) => c.var.claims ? c.redirect(LANDING, 303) : render(c, {}))
  .post(
    "/",
    formValidator(form, (c, errors, values) => render(c, { errors, values }, 400)),
    async (c) => {
      const { phone } = c.req.valid("form");
      const outcome = await sendSignInCode(c.var.auth(), phone, c.var.locale, requestContext(c));
      if (!outcome.ok) {
        if (outcome.retryAfter) c.header("Retry-After", String(outcome.retryAfter));
        return render(c, { values: { phone }, problem: outcome }, phoneStatus(outcome.problem));
      }
      rememberPending(c, { e164: phone, purpose: "signin", sentAt: Date.now() });
      return c.redirect("/auth/phone/code", 303);
    },
  );
