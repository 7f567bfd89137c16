/** /auth/code: the code from a confirmation or sign-in email, typed in (the email's "enter this code"). */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { FieldErrors } from "../../lib/http/form_errors.ts";
import { FormAlert, TextField } from "../forms/Field.tsx";

export interface CodePageProps {
  t: (key: MessageKey) => string;
  email?: string;
  code?: string;
  errors?: FieldErrors;
  problem?: string;
}

export function CodePage({ t, email, code, errors = {}, problem }: CodePageProps) {
  const err = (name: string) => errors[name] && t(errors[name]!);
  return (
    <section class="card narrow auth-card" aria-labelledby="code-title">
      <h1 id="code-title">{t("auth.code.title")}</h1>
      <p class="lead">{t("auth.code.lead")}</p>
      <FormAlert
        kind="error"
        text={problem ?? (Object.keys(errors).length ? t("form.errorSummary") : undefined)}
      />
      <form method="post" action="/auth/code" novalidate>
        <TextField
          name="email"
          type="email"
          label={t("form.email")}
          value={email}
          error={err("email")}
          autoComplete="email"
          dir="ltr"
          required
          autoFocus={!email || !!errors.email}
        />
        <TextField
          name="code"
          label={t("auth.code.field")}
          hint={t("auth.code.hint")}
          value={code}
          error={err("code")}
          autoComplete="one-time-code"
          inputMode="numeric"
          dir="ltr"
          maxLength={20}
          required
          autoFocus={!!email && !errors.email}
        />
        <div class="form-actions">
          <button type="submit">{t("auth.code.submit")}</button>
          <a href="/signin">{t("auth.backToSignin")}</a>
        </div>
      </form>
    </section>
  );
}
