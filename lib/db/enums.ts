/** Runtime lists of generated enum types (lib/db/types.ts), for zod schemas and selects, checked against them. */

/**
 * Every value of the generated enum `T`, in the order given: an extra value is a type error, and so is a
 * missing one (the call then asks for a second argument naming it), so the list cannot drift from the schema.
 * Usage: `enumValues<DB["user_roles"]["role"]>()(["user", "admin"])`.
 */
export function enumValues<T extends string>() {
  return <const V extends readonly T[]>(
    values: V,
    ..._missing: [Exclude<T, V[number]>] extends [never] ? [] : [missing: Exclude<T, V[number]>]
  ): V => values;
}
