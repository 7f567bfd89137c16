/** The sign-in page: email and password, links to the magic link, reset, OAuth and sign-up. */
import { LANDING } from "../../lib/auth/fields.ts";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { problemText } from "../../lib/auth/notices.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { FormAlert, Hidden, TextField } from "../forms/Field.tsx";
import { OAuthButtons } from "./OAuthButtons.tsx";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface SignInState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: { problem: AuthProblem; retryAfter?: number };
  notice?: MessageKey;
}

export function SignInPage(
  { t, locale, next, state }: { t: Translate; locale: Locale; next: string; state: SignInState },
) {
  const errors = state.errors ?? {};
  const problem = state.problem && problemText(t, locale, state.problem.problem, state.problem.retryAfter);
  return (
    <section class="card narrow auth-card" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("auth.signin.title")}</h1>
      <p class="lead">{t("auth.signin.lead")}</p>
      <FormAlert kind="info" text={state.notice && t(state.notice)} />
      <FormAlert kind="error" id="form-error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/signin" novalidate>
        <Hidden name="next" value={next === LANDING ? undefined : next} />
        <TextField
          name="email"
          type="email"
          label={t("form.email")}
          value={state.values?.email}
          error={errors.email && t(errors.email)}
          autoComplete="username"
          dir="ltr"
          required
          autoFocus={!!errors.email}
        />
        <TextField
          name="password"
          type="password"
          label={t("form.password")}
          error={errors.password && t(errors.password)}
          autoComplete="current-password"
          dir="ltr"
          required
          autoFocus={!errors.email && !!(errors.password || problem)}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.signin.submit")}</button>
          <a href="/auth/forgot">{t("auth.signin.forgot")}</a>
        </div>
      </form>
      <p class="auth-alt">
        <a href="/auth/magic">{t("auth.signin.magic")}</a>
      </p>
      <OAuthButtons t={t} next={next} />
      <p class="auth-switch">
        {t("auth.signin.noAccount")} <a href="/auth/signup">{t("auth.signin.createAccount")}</a>
      </p>
    </section>
  );
}
