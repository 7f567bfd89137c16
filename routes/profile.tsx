// routes/profile.tsx — GET/POST /profile (name, locale, notification channels), POST /profile/password,
// POST /profile/phone (add or change the verified mobile number: a code goes to it, /auth/phone/code checks it)
import { z } from "zod";
import { text } from "../lib/http/schemas.ts";
import type { AppContext } from "../lib/http/env.ts";
import { renderPage } from "../components/render.tsx";
import { asUser } from "../lib/db/client.ts";
import { LOCALES } from "../lib/i18n/mod.ts";
import { rememberLocale, saveAuthLocale } from "../lib/users/language.ts";
import { checkboxField, newPasswordField, passwordField } from "../lib/auth/fields.ts";
import { startPhoneChange } from "../lib/phone/flows.ts";
import { mobileField, rememberPending } from "../lib/phone/fields.ts";
import { phoneStatus } from "../lib/phone/errors.ts";
import { noticeKey, problemStatus, problemText } from "../lib/auth/notices.ts";
import { changePassword, verifyCurrentPassword } from "../lib/auth/password.ts";
import { requestContext } from "../lib/auth/request_context.ts";
import { requireLiveSession, userRoutes } from "../lib/auth/guards.ts";
import { getProfile, type Profile, updateProfile } from "../lib/users/profile.ts";
import { formValidator } from "../lib/http/form_validator.ts";
import type { FieldErrors } from "../lib/http/form_errors.ts";
import { ProfilePage, type ProfileState } from "../components/users/ProfilePage.tsx";

const profileForm = z.object({
  full_name: text().trim().max(120, "form.error.nameLong"),
  locale: z.enum(LOCALES, "form.error.invalid"),
  notify_email: checkboxField,
  notify_sms: checkboxField,
  notify_whatsapp: checkboxField,
});

const phoneForm = z.object({ phone: mobileField });

const passwordForm = z.object({
  current_password: passwordField,
  password: newPasswordField,
  password_confirm: text(),
}).refine((v) => v.password === v.password_confirm, {
  path: ["password_confirm"],
  message: "form.error.passwordMismatch",
});

async function render(
  c: AppContext,
  state: Omit<ProfileState, "t" | "profile" | "email" | "locale">,
  status: 200 | 400 | 403 | 409 | 429 | 503 = 200,
) {
  const claims = c.var.user();
  const profile = await c.var.asUser((tx) => getProfile(tx, claims.sub));
  if (!profile) throw new Error("signed-in user without a profile row");
  const page = (
    <ProfilePage t={c.var.t} locale={c.var.locale} email={claims.email ?? ""} profile={profile} {...state} />
  );
  return renderPage(c, page, { title: c.var.t("profile.title"), status });
}

function profileValues(values: Record<string, string>): Partial<Profile> {
  return {
    fullName: values.full_name,
    notifyEmail: values.notify_email === "on",
    notifySms: values.notify_sms === "on",
    notifyWhatsapp: values.notify_whatsapp === "on",
  };
}

export const profile = userRoutes()
  .get("/", (c) => render(c, { notice: noticeKey(c.req.query("notice")) }))
  .post(
    "/",
    formValidator(
      profileForm,
      (c, errors: FieldErrors, values) => render(c, { errors, edited: profileValues(values) }, 400),
    ),
    async (c) => {
      const input = c.req.valid("form");
      const claims = c.var.user();
      await asUser(claims, (tx) =>
        updateProfile(tx, claims.sub, {
          fullName: input.full_name,
          locale: input.locale,
          notifyEmail: input.notify_email,
          notifySms: input.notify_sms,
          notifyWhatsapp: input.notify_whatsapp,
        }));
      await saveAuthLocale(claims.sub, input.locale);
      rememberLocale(c, input.locale);
      return c.redirect("/profile?notice=saved", 303);
    },
  )
  .post(
    "/phone",
    formValidator(phoneForm, (c, errors, values) => render(c, { phoneState: { errors, values } }, 400)),
    async (c) => {
      const { phone } = c.req.valid("form");
      const outcome = await startPhoneChange(c.var.auth(), phone, requestContext(c));
      if (!outcome.ok) {
        if (outcome.retryAfter) c.header("Retry-After", String(outcome.retryAfter));
        return await render(
          c,
          { phoneState: { values: { phone }, problem: outcome } },
          phoneStatus(outcome.problem),
        );
      }
      rememberPending(c, { e164: phone, purpose: "change", sentAt: Date.now() });
      return c.redirect("/auth/phone/code", 303);
    },
  )
  .post(
    "/password",
    requireLiveSession,
    formValidator(passwordForm, (c, errors) => render(c, { passwordErrors: errors }, 400)),
    async (c) => {
      const { current_password, password } = c.req.valid("form");
      const claims = c.var.user();
      const context = requestContext(c);
      const checked = await verifyCurrentPassword(claims, current_password, context);
      const outcome = checked.ok
        ? await changePassword(c.var.auth(), claims, password, context, "profile")
        : checked;
      if (!outcome.ok) {
        if (outcome.problem === "rate_limited") c.header("Retry-After", String(outcome.retryAfter ?? 60));
        const wrongPassword = outcome.problem === "invalid_credentials";
        return await render(c, {
          passwordErrors: wrongPassword ? { current_password: "form.error.currentPassword" } : {},
          passwordProblem: wrongPassword
            ? undefined
            : problemText(c.var.t, c.var.locale, outcome.problem, outcome.retryAfter),
        }, problemStatus(outcome.problem));
      }
      return c.redirect("/profile?notice=password_changed", 303);
    },
  );
