// routes/_error.tsx — the app's one error handler: every refusal and failure, as JSON or as an error page
import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { describeError, DomainError, errorBody, requestErrors } from "../lib/errors.ts";
import type { AppContext, AppEnv } from "../lib/http/env.ts";
import { config } from "../lib/config.ts";
import { requestTranslator, wantsJson } from "../lib/http/answers.ts";
import { type PageResponse, renderPage } from "../components/render.tsx";
import { ErrorPage, errorPageTitle } from "../components/ErrorPage.tsx";

/** Hono's own 4xx (a body it could not parse, a refused origin) as the refusal it amounts to. */
function fromHttpException(err: HTTPException): DomainError {
  if (err.status === 401) return requestErrors.refuse("unauthorized");
  if (err.status === 403) return requestErrors.refuse("forbidden");
  if (err.status === 404) return requestErrors.refuse("not_found");
  return requestErrors.refuse("bad_request", {}, err.message || undefined);
}

/** Answers `error` the same way everywhere: JSON `{error:{code,message}}` or the error page, same status. */
export function answerError(c: AppContext, error: unknown): PageResponse {
  const answer = describeError(error, requestTranslator(c));
  if (answer.status === 500) {
    console.error(
      JSON.stringify({
        level: "error",
        requestId: c.var.requestId,
        error: String((error as Error)?.stack ?? error),
      }),
    );
  }
  const logLevel = config().LOG_LEVEL;
  if (error instanceof DomainError && error.internalDetail && (logLevel === "debug" || logLevel === "info")) {
    console.info(JSON.stringify({
      level: "info",
      requestId: c.var.requestId,
      refusal: error.code,
      detail: error.internalDetail,
    }));
  }
  const retryAfter = error instanceof DomainError ? error.details.retryAfter : undefined;
  if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
  if (wantsJson(c)) return c.json(errorBody(answer), answer.status);
  const t = c.var.t;
  return renderPage(c, <ErrorPage t={t} status={answer.status} />, {
    title: errorPageTitle(t, answer.status),
    status: answer.status,
  });
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof HTTPException && err.status < 500) {
    // Middleware that built its own answer (e.g. a 403 from the CSRF check) keeps it.
    if (err.res && err.status !== 400) return err.getResponse();
    return answerError(c, fromHttpException(err));
  }
  return answerError(c, err);
};

export const notFound: NotFoundHandler<AppEnv> = (c) => answerError(c, requestErrors.refuse("not_found"));
