/** The sign-up page: name, email, a new password twice; a confirmation link is emailed. */
import { LANDING } from "../../lib/auth/fields.ts";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { type FieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";
import { problemText } from "../../lib/auth/notices.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { TextField } from "../forms/Field.tsx";
import { SignUpCard } from "../forms/NewPasswordField.tsx";
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
    <SignUpCard
      t={t}
      id="signup-title"
      title={t("auth.signup.title")}
      lead={t("auth.signup.lead")}
      problem={problem}
      values={state.values}
      errors={state.errors}
      focus={focus}
      action="/auth/signup"
      submit={t("auth.signup.submit")}
      handle={
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
      }
      footer={
        <>
          <p class="auth-alt">
            <a href="/auth/phone/signup">{t("phone.signup.link")}</a>
          </p>
          <OAuthButtons t={t} next={LANDING} />
          <p class="auth-switch">
            {t("auth.signup.haveAccount")} <a href="/signin">{t("auth.signup.signin")}</a>
          </p>
        </>
      }
    />
  );
}
