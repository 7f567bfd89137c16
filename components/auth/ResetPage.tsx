/** Choosing a new password after following a recovery link. */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { problemText } from "../../lib/auth/notices.ts";
import type { AuthProblem } from "../../lib/auth/problems.ts";
import { FormAlert } from "../forms/Field.tsx";
import { NewPasswordField, PasswordConfirmField } from "../forms/NewPasswordField.tsx";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface ResetState {
  errors?: FieldErrors;
  problem?: { problem: AuthProblem };
}

export function ResetPage({ t, locale, state }: { t: Translate; locale: Locale; state: ResetState }) {
  const errors = state.errors ?? {};
  const problem = state.problem && problemText(t, locale, state.problem.problem);
  return (
    <section class="card narrow auth-card" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("auth.reset.title")}</h1>
      <p class="lead">{t("auth.reset.lead")}</p>
      <FormAlert kind="error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/auth/reset" novalidate>
        <NewPasswordField t={t} label={t("form.passwordNew")} error={errors.password && t(errors.password)} />
        <PasswordConfirmField
          t={t}
          error={errors.password_confirm}
          autoFocus={!errors.password && !!errors.password_confirm}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.reset.submit")}</button>
        </div>
      </form>
    </section>
  );
}
