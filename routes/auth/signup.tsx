// routes/auth/signup.tsx — GET/POST /auth/signup (create an account; a confirmation link is emailed)
import { Hono } from "hono";
import { z } from "zod";
import { text } from "../../lib/http/schemas.ts";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { emailField, LANDING, newPasswordField } from "../../lib/auth/fields.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { signUp } from "../../lib/auth/sign_up.ts";
import { appOrigin } from "../../lib/auth/supabase.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { SignUpPage, type SignUpState } from "../../components/auth/SignUpPage.tsx";

const form = z.object({
  full_name: text().trim().min(1, "form.error.required").max(120, "form.error.nameLong"),
  email: emailField,
  password: newPasswordField,
  password_confirm: text(),
}).refine((v) => v.password === v.password_confirm, {
  path: ["password_confirm"],
  message: "form.error.passwordMismatch",
});

const page = (c: AppContext, state: SignUpState) => (
  <SignUpPage t={c.var.t} locale={c.var.locale} state={state} />
);

const render = (c: AppContext, state: SignUpState, status: 200 | 400 = 200) =>
  renderPage(c, page(c, state), { title: c.var.t("auth.signup.title"), status });

export const signup = new Hono<AppEnv>()
  .get("/", (c) => c.var.claims ? c.redirect(LANDING, 303) : render(c, {}))
  .post(
    "/",
    formValidator(form, (c, errors, values) => render(c, { errors, values }, 400)),
    async (c) => {
      const input = c.req.valid("form");
      const outcome = await signUp(
        c.var.auth(),
        { email: input.email, password: input.password, fullName: input.full_name, locale: c.var.locale },
        `${appOrigin(c)}/auth/callback`,
        requestContext(c),
      );
      if (!outcome.ok) {
        const state = { values: { full_name: input.full_name, email: input.email }, problem: outcome };
        return renderProblem(c, outcome, page(c, state), c.var.t("auth.signup.title"));
      }
      return c.redirect(outcome.value === "signed_in" ? LANDING : "/auth/sent?kind=signup", 303);
    },
  );
