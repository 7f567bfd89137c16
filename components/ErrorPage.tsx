/** The page a browser gets for a refused or failed request: a title and one sentence, never internals. */
import type { MessageKey } from "../lib/i18n/mod.ts";

type Translate = (key: MessageKey) => string;

const TITLES: Partial<Record<number, MessageKey>> = {
  403: "error.forbiddenTitle",
  404: "error.notFoundTitle",
};

const SENTENCES: Partial<Record<number, MessageKey>> = {
  400: "error.badRequest",
  403: "error.forbidden",
  404: "error.notFound",
  422: "error.badRequest",
};

export function errorPageTitle(t: Translate, status: number): string {
  return t(TITLES[status] ?? "error.title");
}

export function ErrorPage({ t, status }: { t: Translate; status: number }) {
  return (
    <section class="card narrow error-page">
      <h1>{errorPageTitle(t, status)}</h1>
      <p>{t(SENTENCES[status] ?? "error.internal")}</p>
      <p>
        <a href="/">{t("error.back")}</a>
      </p>
    </section>
  );
}
