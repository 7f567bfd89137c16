// routes/auth/phone/signup.tsx — GET/POST /auth/phone/signup (name, mobile number, password; then the code)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { fullNameField, LANDING, newPasswordField, passwordsMatch } from "../../../lib/auth/fields.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { signUpWithPhone } from "../../../lib/phone/flows.ts";
import { mobileField, rememberPending } from "../../../lib/phone/fields.ts";
import { phoneStatus } from "../../../lib/phone/errors.ts";
import { type PhoneFormState, PhoneSignUpPage } from "../../../components/phone/PhonePages.tsx";

const form = z.object({
  full_name: fullNameField,
  phone: mobileField,
  password: newPasswordField,
  password_confirm: text(),
}).refine(...passwordsMatch);

const render = (c: AppContext, state: PhoneFormState, status: 200 | 400 | 409 | 429 | 503 = 200) =>
  renderPage(c, <PhoneSignUpPage t={c.var.t} locale={c.var.locale} state={state} />, {
    title: c.var.t("phone.signup.title"),
    status,
  });

export const phoneSignup = new Hono<AppEnv>()
  .get("/", (c) => c.var.claims ? c.redirect(LANDING, 303) : render(c, {}))
  .post(
    "/",
    formValidator(form, (c, errors, values) => {
      const { password: _p, password_confirm: _c, ...kept } = values;
      return render(c, { errors, values: kept }, 400);
    }),
    async (c) => {
      const input = c.req.valid("form");
      const outcome = await signUpWithPhone(
        c.var.auth(),
        { e164: input.phone, password: input.password, fullName: input.full_name },
        c.var.locale,
        requestContext(c),
      );
      if (!outcome.ok) {
        if (outcome.retryAfter) c.header("Retry-After", String(outcome.retryAfter));
        const values = { full_name: input.full_name, phone: input.phone };
        return render(c, { values, problem: outcome }, phoneStatus(outcome.problem));
      }
      rememberPending(c, { e164: input.phone, purpose: "signup", sentAt: Date.now() });
      return c.redirect("/auth/phone/code", 303);
    },
  );
