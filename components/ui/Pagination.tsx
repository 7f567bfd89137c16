/**
 * Keyset pagination: a "first page" link while on a later page and a "next page" link when the list goes on.
 * Links keep the current query parameters (filters) and replace only the cursor.
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { Translate } from "./types.ts";

/** Which catalogue keys name the navigation and its two links (the wallet history says "Older"/"Newest"). */
export interface PaginationLabels {
  nav: MessageKey;
  first: MessageKey;
  next: MessageKey;
}

export const PAGE_LABELS: PaginationLabels = {
  nav: "admin.pagination",
  first: "admin.firstPage",
  next: "admin.nextPage",
};
export const HISTORY_LABELS: PaginationLabels = {
  nav: "wallet.pagination",
  first: "wallet.newest",
  next: "wallet.older",
};

export interface PaginationProps {
  t: Translate;
  /** The list's URL without a query, e.g. "/wallet/withdrawals". */
  path: string;
  /** The current query parameters to keep (filters); empty values are left out. */
  params?: Record<string, string | undefined>;
  /** The query parameter carrying the cursor ("cursor" unless the page says otherwise). */
  cursorParam?: string;
  /** The cursor of the page being shown (a first-page link is offered when there is one). */
  cursor?: string;
  /** The cursor of the next page, when there is one. */
  next?: string | null;
  /** Offer the first-page link (default true). */
  first?: boolean;
  labels?: PaginationLabels;
}

/** `path` with `params` and, when given, the cursor — the link to one page of the list. */
export function pageHref(
  path: string,
  params: Record<string, string | undefined> = {},
  cursorParam = "cursor",
  cursor?: string,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value && name !== cursorParam) query.set(name, value);
  }
  if (cursor) query.set(cursorParam, cursor);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function Pagination(
  { t, path, params, cursorParam = "cursor", cursor, next, first = true, labels = PAGE_LABELS }:
    PaginationProps,
) {
  const showFirst = first && !!cursor;
  if (!showFirst && !next) return null;
  return (
    <nav class="pagination" aria-label={t(labels.nav)}>
      {showFirst ? <a href={pageHref(path, params, cursorParam)}>{t(labels.first)}</a> : <span></span>}
      {next && <a href={pageHref(path, params, cursorParam, next)} rel="next">{t(labels.next)}</a>}
    </nav>
  );
}
