/**
 * Phone sign-in pages: the number (sign in), sign-up by phone, the code page with its resend countdown, and
 * the profile's "mobile number" card (add or change, verified by a code). Every form works without JavaScript.
 */
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";
import { type FieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";
import type { CodePurpose } from "../../lib/phone/flows.ts";
import type { PhoneProblem } from "../../lib/phone/errors.ts";
import { displayPhone } from "../../lib/users/phone.ts";
import { waitText } from "../../lib/auth/notices.ts";
import { FieldError, FieldHint, FormAlert, TextField } from "../forms/Field.tsx";
import { SignUpCard } from "../forms/NewPasswordField.tsx";
import { ResendCountdownIsland } from "../islands.ts";
import { OAuthButtons } from "../auth/OAuthButtons.tsx";

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export type ShownProblem = { problem: PhoneProblem | "weak_password"; retryAfter?: number };

export interface PhoneFormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: ShownProblem;
  notice?: MessageKey;
}

const PROBLEM_KEYS: Record<ShownProblem["problem"], MessageKey> = {
  code_wrong: "phone.problem.code_wrong",
  code_attempts: "phone.problem.code_attempts",
  sms_limited: "phone.problem.sms_limited",
  phone_taken: "phone.problem.phone_taken",
  phone_exists: "phone.problem.phone_exists",
  sms_unavailable: "phone.problem.sms_unavailable",
  weak_password: "phone.problem.weak_password",
};

/** The sentence for a problem, with the wait in the locale's digits. */
export function phoneProblemText(t: Translate, locale: Locale, shown: ShownProblem): string {
  return t(PROBLEM_KEYS[shown.problem], { wait: waitText(t, locale, shown.retryAfter) });
}

function MobileField({ t, value, error, autoFocus }: {
  t: Translate;
  value?: string;
  error?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      name="phone"
      type="tel"
      label={t("phone.field.label")}
      hint={t("phone.field.hint")}
      value={value}
      error={error && t(error as MessageKey)}
      autoComplete="tel"
      inputMode="tel"
      dir="ltr"
      maxLength={32}
      required
      autoFocus={autoFocus}
    />
  );
}

/** /auth/phone: the number, then a code by SMS. */
export function PhoneSignInPage(
  { t, locale, state }: { t: Translate; locale: Locale; state: PhoneFormState },
) {
  const errors = state.errors ?? {};
  const problem = state.problem && phoneProblemText(t, locale, state.problem);
  return (
    <section class="card narrow auth-card" aria-labelledby="phone-title">
      <h1 id="phone-title">{t("phone.signin.title")}</h1>
      <p class="lead">{t("phone.signin.lead")}</p>
      <FormAlert kind="info" text={state.notice && t(state.notice)} />
      <FormAlert kind="error" id="form-error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/auth/phone" novalidate>
        <MobileField t={t} value={state.values?.phone} error={errors.phone} autoFocus />
        <div class="form-actions">
          <button type="submit">{t("phone.signin.submit")}</button>
        </div>
      </form>
      <p class="auth-alt">
        <a href="/signin">{t("phone.signin.withEmail")}</a>
      </p>
      <OAuthButtons t={t} next="/profile" />
      <p class="auth-switch">
        {t("phone.signin.noAccount")} <a href="/auth/phone/signup">{t("phone.signin.createAccount")}</a>
      </p>
    </section>
  );
}

const SIGNUP_ORDER = ["full_name", "phone", "password", "password_confirm"] as const;

/** /auth/phone/signup: name, number and a password; the number is confirmed by its code. */
export function PhoneSignUpPage(
  { t, locale, state }: { t: Translate; locale: Locale; state: PhoneFormState },
) {
  const errors = state.errors ?? {};
  const focus = firstInvalid(errors, SIGNUP_ORDER);
  const problem = state.problem && phoneProblemText(t, locale, state.problem);
  return (
    <SignUpCard
      t={t}
      id="phone-signup-title"
      title={t("phone.signup.title")}
      lead={t("phone.signup.lead")}
      problem={problem}
      values={state.values}
      errors={state.errors}
      focus={focus}
      action="/auth/phone/signup"
      submit={t("phone.signup.submit")}
      handle={
        <MobileField t={t} value={state.values?.phone} error={errors.phone} autoFocus={focus === "phone"} />
      }
      footer={
        <p class="auth-switch">
          {t("auth.signup.haveAccount")} <a href="/auth/phone">{t("phone.signup.signin")}</a>
          {" · "}
          <a href="/auth/signup">{t("phone.signup.withEmail")}</a>
        </p>
      }
    />
  );
}

export interface CodePageProps {
  t: Translate;
  locale: Locale;
  e164: string;
  purpose: CodePurpose;
  /** Seconds until a new code may be asked for. */
  resendIn: number;
  state: PhoneFormState;
}

/** /auth/phone/code: one input for the six digits (any digits, pasted or filled in by the phone). */
export function PhoneCodePage({ t, locale, e164, purpose, resendIn, state }: CodePageProps) {
  const errors = state.errors ?? {};
  const problem = state.problem && phoneProblemText(t, locale, state.problem);
  const id = "field-code";
  const hint = t("phone.code.hint");
  const error = errors.code && t(errors.code);
  return (
    <section class="card narrow auth-card" aria-labelledby="code-title">
      <h1 id="code-title">{t(purpose === "change" ? "phone.code.titleChange" : "phone.code.title")}</h1>
      <p class="lead">
        {t(purpose === "signin" ? "phone.code.leadSignin" : "phone.code.lead")}{" "}
        <bdi dir="ltr" class="phone-number">{displayPhone(e164)}</bdi>
      </p>
      <FormAlert kind="info" text={state.notice && t(state.notice)} />
      <FormAlert kind="error" id="form-error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/auth/phone/code" novalidate>
        <div class="field">
          <label for={id}>{t("phone.code.label")}</label>
          <input
            id={id}
            name="code"
            class="otp-input"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9۰-۹٠-٩ ]*"
            maxLength={12}
            dir="ltr"
            required
            autoFocus
            aria-invalid={error || state.problem ? "true" : undefined}
            aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ")}
          />
          <FieldHint id={id} text={hint} />
          <FieldError id={id} text={error} />
        </div>
        <div class="form-actions">
          <button type="submit">{t("phone.code.submit")}</button>
        </div>
      </form>
      <form method="post" action="/auth/phone/resend" class="resend-form">
        <ResendCountdownIsland
          locale={locale}
          seconds={resendIn}
          label={t("phone.code.resend")}
          waitTemplate={t("phone.code.resendIn")}
        />
      </form>
      <p class="auth-alt">
        <a href={purpose === "change" ? "/profile#phone" : "/auth/phone"}>{t("phone.code.otherNumber")}</a>
      </p>
    </section>
  );
}

/** The profile's mobile-number card: the verified number (or none) and a form to add or change it. */
export function ProfilePhoneCard({ t, locale, phone, state }: {
  t: Translate;
  locale: Locale;
  /** The verified number (E.164), if any. */
  phone: string | null;
  state: PhoneFormState;
}) {
  const errors = state.errors ?? {};
  const problem = state.problem && phoneProblemText(t, locale, state.problem);
  return (
    <section class="card" id="phone" aria-labelledby="phone-card-title">
      <h2 id="phone-card-title">{t("phone.profile.title")}</h2>
      <p class="field">
        <span class="label">{t("phone.profile.current")}</span>
        {phone
          ? (
            <span class="field-value">
              <bdi dir="ltr" id="verified-phone">{displayPhone(phone)}</bdi>{" "}
              <span class="badge success">{t("phone.profile.verified")}</span>
            </span>
          )
          : <span class="field-value">{t("phone.profile.none")}</span>}
      </p>
      <p class="hint">{t("phone.profile.hint")}</p>
      <FormAlert kind="error" text={problem} />
      <form method="post" action="/profile/phone" novalidate>
        <TextField
          name="phone"
          type="tel"
          label={t(phone ? "phone.profile.newNumber" : "phone.field.label")}
          hint={t("phone.field.hint")}
          value={state.values?.phone}
          error={errors.phone && t(errors.phone)}
          autoComplete="tel"
          inputMode="tel"
          dir="ltr"
          maxLength={32}
          required
          autoFocus={!!errors.phone || !!problem}
        />
        <div class="form-actions">
          <button type="submit">{t(phone ? "phone.profile.change" : "phone.profile.add")}</button>
        </div>
      </form>
    </section>
  );
}
