// routes/signin.tsx — GET/POST /signin (email + password; links to magic link, reset, OAuth and sign-up)
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../lib/http/env.ts";
import { renderPage } from "../components/render.tsx";
import { emailField, nextField, passwordField, safeNext } from "../lib/auth/fields.ts";
import { isAuthProblem, noticeKey } from "../lib/auth/notices.ts";
import { renderProblem } from "../components/auth/respond.ts";
import { signInWithPassword } from "../lib/auth/sign_in.ts";
import { requestContext } from "../lib/auth/request_context.ts";
import { formValidator } from "../lib/http/form_validator.ts";
import { SignInPage, type SignInState } from "../components/auth/SignInPage.tsx";

const form = z.object({ email: emailField, password: passwordField, next: nextField });

const page = (c: AppContext, state: SignInState) => (
  <SignInPage
    t={c.var.t}
    locale={c.var.locale}
    next={safeNext(state.values?.next ?? c.req.query("next"))}
    state={state}
  />
);

const render = (c: AppContext, state: SignInState, status: 200 | 400 = 200) =>
  renderPage(c, page(c, state), { title: c.var.t("auth.signin.title"), status });

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
