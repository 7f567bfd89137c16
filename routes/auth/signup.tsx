// routes/auth/signup.tsx — GET/POST /auth/signup (create an account; a confirmation link is emailed)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../lib/http/env.ts";
import { renderPage } from "../../components/render.tsx";
import { emailField, newPasswordField } from "../../lib/auth/fields.ts";
import { problemText } from "../../lib/auth/notices.ts";
import { renderProblem } from "../../components/auth/respond.ts";
import { signUp } from "../../lib/auth/sign_up.ts";
import { appOrigin } from "../../lib/auth/supabase.ts";
import { requestContext } from "../../lib/auth/request_context.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { formValidator } from "../../lib/http/form_validator.ts";
import { FormAlert, TextField } from "../../components/forms/Field.tsx";
import { NewPasswordField } from "../../components/forms/NewPasswordField.tsx";
import { type FieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";
import { OAuthButtons } from "../../components/forms/OAuthButtons.tsx";

const form = z.object({
  full_name: z.string().trim().min(1, "form.error.required").max(120, "form.error.nameLong"),
  email: emailField,
  password: newPasswordField,
  password_confirm: z.string(),
}).refine((v) => v.password === v.password_confirm, {
  path: ["password_confirm"],
  message: "form.error.passwordMismatch",
});

const ORDER = ["full_name", "email", "password", "password_confirm"] as const;

interface SignUpState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: { problem: AuthProblem; retryAfter?: number };
}

function page(c: AppContext, state: SignUpState) {
  const t = c.var.t;
  const errors = state.errors ?? {};
  const focus = firstInvalid(errors, ORDER);
  const problem = state.problem &&
    problemText(t, c.var.locale, state.problem.problem, state.problem.retryAfter);
  return (
    <section class="card narrow auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">{t("auth.signup.title")}</h1>
      <p class="lead">{t("auth.signup.lead")}</p>
      <FormAlert kind="error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/auth/signup" novalidate>
        <TextField
          name="full_name"
          label={t("form.fullName")}
          value={state.values?.full_name}
          error={errors.full_name && t(errors.full_name)}
          autoComplete="name"
          maxLength={120}
          required
          autoFocus={focus === "full_name"}
        />
        <TextField
          name="email"
          type="email"
          label={t("form.email")}
          value={state.values?.email}
          error={errors.email && t(errors.email)}
          autoComplete="email"
          dir="ltr"
          required
          autoFocus={focus === "email"}
        />
        <NewPasswordField t={t} label={t("form.password")} error={errors.password && t(errors.password)} />
        <TextField
          name="password_confirm"
          type="password"
          label={t("form.passwordConfirm")}
          error={errors.password_confirm && t(errors.password_confirm)}
          autoComplete="new-password"
          dir="ltr"
          required
          autoFocus={focus === "password_confirm"}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.signup.submit")}</button>
        </div>
      </form>
      <OAuthButtons t={t} next="/profile" />
      <p class="auth-switch">
        {t("auth.signup.haveAccount")} <a href="/signin">{t("auth.signup.signin")}</a>
      </p>
    </section>
  );
}

function render(c: AppContext, state: SignUpState, status: 200 | 400 = 200) {
  return renderPage(c, page(c, state), { title: c.var.t("auth.signup.title"), status });
}

export const signup = new Hono<AppEnv>()
  .get("/", (c) => c.var.claims ? c.redirect("/profile", 303) : render(c, {}))
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
      return c.redirect(outcome.value === "signed_in" ? "/profile" : "/auth/sent?kind=signup", 303);
    },
  );
