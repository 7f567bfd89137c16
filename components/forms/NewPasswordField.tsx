/** The new-password field with its rules, as the PasswordStrength island (inline feedback when JS runs). */
import type { ComponentChildren } from "preact";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { PasswordStrengthIsland } from "../islands.ts";
import { FormAlert, TextField } from "./Field.tsx";

export function NewPasswordField(
  { t, name = "password", label, error }: {
    t: (key: MessageKey) => string;
    name?: string;
    label: string;
    error?: string;
  },
) {
  return (
    <PasswordStrengthIsland
      id={`field-${name}`}
      name={name}
      label={label}
      error={error}
      rulesTitle={t("password.rules.title")}
      ruleLabels={{
        length: t("password.rule.length"),
        lower: t("password.rule.lower"),
        upper: t("password.rule.upper"),
        digit: t("password.rule.digit"),
      }}
      metText={t("password.rule.met")}
      unmetText={t("password.rule.unmet")}
      strengthLabel={t("password.strength.label")}
      strengthNames={{
        weak: t("password.strength.weak"),
        fair: t("password.strength.fair"),
        good: t("password.strength.good"),
        strong: t("password.strength.strong"),
      }}
    />
  );
}

/** The new password typed again (field `password_confirm`), under the NewPasswordField. */
export function PasswordConfirmField(
  { t, error, autoFocus }: { t: (key: MessageKey) => string; error?: MessageKey; autoFocus?: boolean },
) {
  return (
    <TextField
      name="password_confirm"
      type="password"
      label={t("form.passwordConfirm")}
      error={error && t(error)}
      autoComplete="new-password"
      dir="ltr"
      required
      autoFocus={autoFocus}
    />
  );
}

/**
 * A sign-up form's fields: the full name, then `handle` (the email or the mobile number field), then a new
 * password typed twice. `focus` names the first field with an error.
 */
export function NewAccountFields({ t, values, errors, focus, handle }: {
  t: (key: MessageKey) => string;
  values?: Record<string, string>;
  errors: Partial<Record<string, MessageKey>>;
  focus?: string;
  handle: ComponentChildren;
}) {
  return (
    <>
      <TextField
        name="full_name"
        label={t("form.fullName")}
        value={values?.full_name}
        error={errors.full_name && t(errors.full_name)}
        autoComplete="name"
        maxLength={120}
        required
        autoFocus={focus === "full_name"}
      />
      {handle}
      <NewPasswordField t={t} label={t("form.password")} error={errors.password && t(errors.password)} />
      <PasswordConfirmField t={t} error={errors.password_confirm} autoFocus={focus === "password_confirm"} />
    </>
  );
}

/**
 * A sign-up page's card: title, lead, the problem (or the error summary), the form with NewAccountFields
 * around `handle`, its submit button, then `footer` (links to the other ways in).
 */
export function SignUpCard(props: {
  t: (key: MessageKey) => string;
  id: string;
  title: string;
  lead: string;
  /** The refusal to explain, already in words. */
  problem?: string;
  values?: Record<string, string>;
  errors?: Partial<Record<string, MessageKey>>;
  focus?: string;
  action: string;
  submit: string;
  handle: ComponentChildren;
  footer: ComponentChildren;
}) {
  const { t, errors } = props;
  return (
    <section class="card narrow auth-card" aria-labelledby={props.id}>
      <h1 id={props.id}>{props.title}</h1>
      <p class="lead">{props.lead}</p>
      <FormAlert kind="error" text={props.problem ?? (errors && t("form.errorSummary"))} />
      <form method="post" action={props.action} novalidate>
        <NewAccountFields
          t={t}
          values={props.values}
          errors={errors ?? {}}
          focus={props.focus}
          handle={props.handle}
        />
        <div class="form-actions">
          <button type="submit">{props.submit}</button>
        </div>
      </form>
      {props.footer}
    </section>
  );
}
