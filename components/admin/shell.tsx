/** What every staff page shares: the props a page gets, the breadcrumbs back to /admin, the "next page" links. */
import type { ComponentChildren } from "preact";
import type { Locale, MessageKey } from "../../lib/i18n/mod.ts";

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The page's language: every staff page component takes these. */
export interface PageProps {
  t: Translate;
  locale: Locale;
}

/** "Staff area › …": a link to /admin, then any further links (e.g. the list a detail page belongs to). */
export function Breadcrumbs({ t, children }: { t: Translate; children?: ComponentChildren }) {
  return (
    <p class="breadcrumbs">
      <a href="/admin">{t("admin.title")}</a>
      {children && <>{" › "}{children}</>}
    </p>
  );
}

/** Keyset pagination: back to the first page (when not on it) and on to the next (when there is one). */
export function PageLinks(
  { t, first, next }: { t: Translate; first?: string; next?: string },
) {
  return (
    <nav class="pagination" aria-label={t("admin.pagination")}>
      {first ? <a href={first}>{t("admin.firstPage")}</a> : <span></span>}
      {next && <a href={next} rel="next">{t("admin.nextPage")}</a>}
    </nav>
  );
}
