/** What every staff page shares: the props a page gets, the breadcrumbs back to /admin. */
import type { ComponentChildren } from "preact";
import type { I18n, Translate } from "../ui/types.ts";

export type { Translate };

/** The page's language: every staff page component takes these. */
export type PageProps = I18n;

/** "Staff area › …": a link to /admin, then any further links (e.g. the list a detail page belongs to). */
export function Breadcrumbs({ t, children }: { t: Translate; children?: ComponentChildren }) {
  return (
    <p class="breadcrumbs">
      <a href="/admin">{t("admin.title")}</a>
      {children && <>{" › "}{children}</>}
    </p>
  );
}
