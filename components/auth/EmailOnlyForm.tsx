/** A card with one email field: "send me a reset link", "send me a sign-in link". */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { FormAlert, TextField } from "../forms/Field.tsx";

export interface EmailOnlyFormProps {
  t: (key: MessageKey) => string;
  id: string;
  action: string;
  title: string;
  lead: string;
  submit: string;
  email?: string;
  emailError?: string;
  problem?: string;
  hasErrors?: boolean;
}

export function EmailOnlyForm(props: EmailOnlyFormProps) {
  const { t } = props;
  return (
    <section class="card narrow auth-card" aria-labelledby={`${props.id}-title`}>
      <h1 id={`${props.id}-title`}>{props.title}</h1>
      <p class="lead">{props.lead}</p>
      <FormAlert
        kind="error"
        text={props.problem ?? (props.hasErrors ? t("form.errorSummary") : undefined)}
      />
      <form method="post" action={props.action} novalidate>
        <TextField
          name="email"
          type="email"
          label={t("form.email")}
          value={props.email}
          error={props.emailError}
          autoComplete="email"
          dir="ltr"
          required
          autoFocus={!!props.emailError}
        />
        <div class="form-actions">
          <button type="submit">{props.submit}</button>
          <a href="/signin">{t("auth.backToSignin")}</a>
        </div>
      </form>
    </section>
  );
}
