/** The sign-up page: name, email, a new password twice; a confirmation link is emailed. */
import { LANDING } from "../../lib/auth/fields.ts";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { type FieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";
import { problemText } from "../../lib/auth/notices.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { FormAlert, TextField } from "../forms/Field.tsx";
import { NewPasswordField, PasswordConfirmField } from "../forms/NewPasswordField.tsx";
import { OAuthButtons } from "./OAuthButtons.tsx";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const ORDER = ["full_name", "email", "password", "password_confirm"] as const;

export interface SignUpState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: { problem: AuthProblem; retryAfter?: number };
}

export function SignUpPage({ t, locale, state }: { t: Translate; locale: Locale; state: SignUpState }) {
  const errors = state.errors ?? {};
  const focus = firstInvalid(errors, ORDER);
  const problem = state.problem && problemText(t, locale, state.problem.problem, state.problem.retryAfter);
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
        <PasswordConfirmField
          t={t}
          error={errors.password_confirm}
          autoFocus={focus === "password_confirm"}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.signup.submit")}</button>
        </div>
      </form>
      <OAuthButtons t={t} next={LANDING} />
      <p class="auth-switch">
        {t("auth.signup.haveAccount")} <a href="/signin">{t("auth.signup.signin")}</a>
      </p>
    </section>
  );
}
