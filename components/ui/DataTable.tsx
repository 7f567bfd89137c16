/**
 * A server-rendered table: one header per column, one row per item, an empty state when there are none, and
 * an optional pagination slot under it. Cells align to the reading direction's start (logical CSS); numeric
 * columns align to its end with tabular digits, their content isolated (<bdi>) so an amount's digits, sign
 * and unit keep their order next to text of the other direction.
 */
import type { ComponentChildren, JSX } from "preact";
import { EmptyState } from "./EmptyState.tsx";

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
  /** Rendered under the table, or under the empty state (e.g. <Pagination>). */
  pagination?: ComponentChildren;
}

const cellClass = (column: Column<unknown>) =>
  [column.numeric ? "num" : "", column.class ?? ""].filter(Boolean).join(" ") || undefined;

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { columns, rows, caption, label, empty, rowAttributes, pagination } = props;
  return (
    <>
      {rows.length === 0 ? <EmptyState text={empty} /> : (
        <div class="table-wrap">
          <table
            class={props.class ? `table ${props.class}` : "table"}
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
            <tbody>
              {rows.map((row) => (
                <tr {...rowAttributes?.(row)}>
                  {columns.map((column) => (
                    <td class={cellClass(column as Column<unknown>)}>
                      {column.numeric ? <bdi>{column.cell(row)}</bdi> : column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pagination}
    </>
  );
}
