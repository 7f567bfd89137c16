// routes/signin.tsx — GET/POST /signin (email + password; links to magic link, reset, OAuth and sign-up)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../lib/http/env.ts";
import type { MessageKey } from "../lib/i18n/mod.ts";
import { renderPage } from "../components/render.tsx";
import { emailField, nextField, passwordField, safeNext } from "../lib/auth/fields.ts";
import { isAuthProblem, noticeKey, problemText } from "../lib/auth/notices.ts";
import { renderProblem } from "../components/auth/respond.ts";
import { signInWithPassword } from "../lib/auth/sign_in.ts";
import { requestContext } from "../lib/auth/request_context.ts";
import type { AuthProblem } from "../lib/auth/problems.ts";
import { formValidator } from "../lib/http/form_validator.ts";
import { FormAlert, Hidden, TextField } from "../components/forms/Field.tsx";
import type { FieldErrors } from "../lib/http/form_errors.ts";
import { OAuthButtons } from "../components/forms/OAuthButtons.tsx";

const form = z.object({ email: emailField, password: passwordField, next: nextField });

interface SignInState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: { problem: AuthProblem; retryAfter?: number };
  notice?: MessageKey;
}

function page(c: AppContext, state: SignInState) {
  const t = c.var.t;
  const next = safeNext(state.values?.next ?? c.req.query("next"));
  const errors = state.errors ?? {};
  const problem = state.problem &&
    problemText(t, c.var.locale, state.problem.problem, state.problem.retryAfter);
  return (
    <section class="card narrow auth-card" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("auth.signin.title")}</h1>
      <p class="lead">{t("auth.signin.lead")}</p>
      <FormAlert kind="info" text={state.notice && t(state.notice)} />
      <FormAlert kind="error" id="form-error" text={problem ?? (state.errors && t("form.errorSummary"))} />
      <form method="post" action="/signin" novalidate>
        <Hidden name="next" value={next === "/profile" ? undefined : next} />
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

function render(c: AppContext, state: SignInState, status: 200 | 400 = 200) {
  return renderPage(c, page(c, state), { title: c.var.t("auth.signin.title"), status });
}

export const signin = new Hono<AppEnv>()
  .get("/", (c) => {
    if (c.var.claims) return c.redirect(safeNext(c.req.query("next")), 303);
    const reason = c.req.query("reason") === "expired" ? "expired" : c.req.query("notice");
    const problem = c.req.query("problem");
    return render(c, {
      notice: noticeKey(reason),
      problem: isAuthProblem(problem) ? { problem } : undefined,
    });
  })
  .post(
    "/",
    formValidator(form, (c, errors, values) => render(c, { errors, values }, 400)),
    async (c) => {
      const input = c.req.valid("form");
      const outcome = await signInWithPassword(c.var.auth(), input, requestContext(c));
      if (!outcome.ok) {
        const state = { values: { email: input.email, next: input.next }, problem: outcome };
        return renderProblem(c, outcome, page(c, state), c.var.t("auth.signin.title"));
      }
      return c.redirect(input.next, 303);
    },
  );
