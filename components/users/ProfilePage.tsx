/**
 * The profile page's forms: details and notification channels, the verified mobile number (add or change,
 * by code), password change, sign-out everywhere.
 */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { type PhoneFormState, ProfilePhoneCard } from "../phone/PhonePages.tsx";
import type { Profile } from "../../lib/users/profile.ts";
import { CheckboxField, FormAlert, SelectField, TextField } from "../forms/Field.tsx";
import { NewPasswordField, PasswordConfirmField } from "../forms/NewPasswordField.tsx";
import { type FieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";

export interface ProfileState {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  email: string;
  profile: Profile;
  /** What was posted, when the details form is shown again with errors. */
  edited?: Partial<Profile>;
  errors?: FieldErrors;
  notice?: MessageKey;
  passwordErrors?: FieldErrors;
  passwordProblem?: string;
  locale: Locale;
  /** The mobile-number card's form, when it is shown again with an error. */
  phoneState?: PhoneFormState;
}

function DetailsForm({ t, email, profile, edited, errors = {} }: ProfileState) {
  const shown = { ...profile, ...edited };
  const focus = firstInvalid(errors, ["full_name", "locale"]);
  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t("profile.details")}</h2>
      <form method="post" action="/profile" novalidate>
        {email && (
          <p class="field">
            <span class="label">{t("form.email")}</span>
            <span class="field-value" dir="ltr">{email}</span>
          </p>
        )}
        <TextField
          name="full_name"
          label={t("form.fullName")}
          value={shown.fullName}
          error={errors.full_name && t(errors.full_name)}
          autoComplete="name"
          maxLength={120}
          autoFocus={focus === "full_name"}
        />
        <SelectField
          name="locale"
          label={t("form.locale")}
          hint={t("form.localeHint")}
          value={shown.locale}
          error={errors.locale && t(errors.locale)}
          options={[
            { value: "fa", label: t("locale.fa"), lang: "fa" },
            { value: "en", label: t("locale.en"), lang: "en" },
          ]}
        />
        <fieldset class="fieldset">
          <legend>{t("profile.notifications")}</legend>
          <p class="hint">{t("profile.notify.hint")}</p>
          <p>
            <a href="/profile/notifications">{t("notifications.prefs.title")}</a>
          </p>
          <CheckboxField name="notify_email" label={t("profile.notify.email")} checked={shown.notifyEmail} />
          <CheckboxField name="notify_sms" label={t("profile.notify.sms")} checked={shown.notifySms} />
          <CheckboxField
            name="notify_whatsapp"
            label={t("profile.notify.whatsapp")}
            checked={shown.notifyWhatsapp}
          />
        </fieldset>
        <div class="form-actions">
          <button type="submit">{t("profile.save")}</button>
        </div>
      </form>
    </section>
  );
}

function PasswordForm({ t, passwordErrors = {}, passwordProblem }: ProfileState) {
  const focus = firstInvalid(passwordErrors, ["current_password", "password", "password_confirm"]);
  return (
    <section class="card" id="password" aria-labelledby="password-title">
      <h2 id="password-title">{t("profile.password.title")}</h2>
      <FormAlert kind="error" text={passwordProblem} />
      <form method="post" action="/profile/password" novalidate>
        <TextField
          name="current_password"
          type="password"
          label={t("form.passwordCurrent")}
          error={passwordErrors.current_password && t(passwordErrors.current_password)}
          autoComplete="current-password"
          dir="ltr"
          required
          autoFocus={focus === "current_password"}
        />
        <NewPasswordField
          t={t}
          label={t("form.passwordNew")}
          error={passwordErrors.password && t(passwordErrors.password)}
        />
        <PasswordConfirmField
          t={t}
          error={passwordErrors.password_confirm}
          autoFocus={focus === "password_confirm"}
        />
        <div class="form-actions">
          <button type="submit">{t("profile.password.submit")}</button>
        </div>
      </form>
    </section>
  );
}

export function ProfilePage(state: ProfileState) {
  const { t } = state;
  const summary = state.errors || (state.passwordErrors && Object.keys(state.passwordErrors).length);
  return (
    <div class="profile">
      <h1>{t("profile.title")}</h1>
      <FormAlert kind="success" text={state.notice && t(state.notice)} />
      <FormAlert kind="error" text={summary ? t("form.errorSummary") : undefined} />
      <div class="profile-grid">
        <DetailsForm {...state} />
        <div class="profile-side">
          <ProfilePhoneCard
            t={t}
            locale={state.locale}
            phone={state.profile.phone}
            state={state.phoneState ?? {}}
          />
          <PasswordForm {...state} />
          <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t("profile.sessions.title")}</h2>
            <p>{t("profile.sessions.body")}</p>
            <form method="post" action="/auth/signout">
              <input type="hidden" name="scope" value="global" />
              <button type="submit" class="button button-danger">{t("profile.sessions.everywhere")}</button>
            </form>
          </section>
        </div>
      </div>
    </div>
  );
}
