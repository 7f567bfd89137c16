/** Date filters of wallet statements: a calendar day means a Tehran day (Iran keeps UTC+03:30 all year). */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Start of `value` as an instant: a YYYY-MM-DD is midnight in Tehran, anything else is parsed as given. */
export function startOf(value: string): Date {
  return new Date(DAY.test(value) ? `${value}T00:00:00+03:30` : value);
}

/** Exclusive end for `value`: a YYYY-MM-DD includes that whole Tehran day; a timestamp is the bound itself. */
export function endOf(value: string): Date {
  if (!DAY.test(value)) return new Date(value);
  return new Date(startOf(value).getTime() + 24 * 3600 * 1000);
}
