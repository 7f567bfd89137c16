/**
 * A server-rendered table: one header per column, one row per item, an empty state when there are none, and
 * an optional pagination slot under it. Cells align to the reading direction's start (logical CSS); numeric
 * columns align to its end with tabular digits, their content isolated (<bdi>) so an amount's digits, sign
 * and unit keep their order next to text of the other direction.
 */
import type { ComponentChildren, JSX } from "preact";
import { renderToString } from "preact-render-to-string";
import { EmptyState } from "./EmptyState.tsx";
import type { HtmlCache } from "./html_cache.ts";

export interface Column<Row> {
  header: ComponentChildren;
  cell: (row: Row) => ComponentChildren;
  /** Amounts and counts: end-aligned, tabular digits, bidi-isolated. */
  numeric?: boolean;
  class?: string;
}

export interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: Row[];
  /** A visually hidden caption naming the table for screen readers (or `label` for aria-label). */
  caption?: string;
  label?: string;
  /** The sentence shown instead of the table when there are no rows. */
  empty: string;
  /** Attributes of a row's <tr> (e.g. data-transaction) — tests and scripts find rows by them. */
  rowAttributes?: (row: Row) => JSX.HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  class?: string;
  /**
   * On narrow screens each row becomes a block of "header: value" lines (default); a table with its own
   * narrow-screen layout (e.g. .wallet-entries) turns this off.
   */
  stackOnMobile?: boolean;
  /** Rendered under the table, or under the empty state (e.g. <Pagination>). */
  pagination?: ComponentChildren;
  /**
   * Rows whose HTML never changes for the same key are rendered once and then taken from `cache` (see
   * components/ui/html_cache.ts). `key` must hold everything a row's cells and attributes are rendered from.
   */
  rowCache?: { cache: HtmlCache; key: (row: Row) => string };
}

type RowProps<Row> = Pick<DataTableProps<Row>, "columns" | "rowAttributes"> & { row: Row };

const cellClass = (column: Column<unknown>) =>
  [column.numeric ? "num" : "", column.class ?? ""].filter(Boolean).join(" ") || undefined;

/** One body row: a cell per column (called as a function: the <tr> itself, no component in between). */
function TableRow<Row>({ row, columns, rowAttributes }: RowProps<Row>) {
  return (
    <tr {...rowAttributes?.(row)}>
      {columns.map((column) => (
        <td
          class={cellClass(column as Column<unknown>)}
          data-label={typeof column.header === "string" && column.header ? column.header : undefined}
        >
          {column.numeric ? <bdi>{column.cell(row)}</bdi> : column.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/**
 * The body rows' HTML, each row from the cache or rendered on its own (a synchronous nested renderToString,
 * which saves and restores the renderer's state) and kept: the same markup TableRow gives inside the table.
 */
function cachedRows<Row>(
  { cache, key }: NonNullable<DataTableProps<Row>["rowCache"]>,
  rows: Row[],
  columns: Column<Row>[],
  rowAttributes: DataTableProps<Row>["rowAttributes"],
): string {
  let html = "";
  for (const row of rows) {
    html += cache.get(
      key(row),
      () => renderToString(TableRow({ row, columns, rowAttributes })),
    );
  }
  return html;
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, rows, caption, label, empty, rowAttributes, pagination, stackOnMobile = true } = props;
  const tableClass = ["table", stackOnMobile ? "data-table" : "", props.class ?? ""].filter(Boolean);
  return (
    <>
      {rows.length === 0 ? <EmptyState text={empty} /> : (
        <div class="table-wrap">
          <table
            class={tableClass.join(" ")}
            aria-label={caption ? undefined : label}
          >
            {caption && <caption class="visually-hidden">{caption}</caption>}
            <thead>
              <tr>
                {columns.map((column) => (
                  <th scope="col" class={cellClass(column as Column<unknown>)}>{column.header}</th>
                ))}
              </tr>
            </thead>
            {props.rowCache
              ? (
                <tbody
                  dangerouslySetInnerHTML={{
                    __html: cachedRows(props.rowCache, rows, columns, rowAttributes),
                  }}
                />
              )
              : (
                <tbody>
                  {rows.map((row) => TableRow({ row, columns, rowAttributes }))}
                </tbody>
              )}
          </table>
        </div>
      )}
      {pagination}
    </>
  );
}
