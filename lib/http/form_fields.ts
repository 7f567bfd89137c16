/** Schemas for query strings and forms, where a field left empty is sent as "" and means "not given". */
import { z } from "zod";

/** `schema`, optional, with an empty field read as absent (a filter left blank filters nothing). */
export const optionalField = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => value === "" ? undefined : value, schema.optional());

/** The filters that were given (empty ones left out), as query parameters for links that keep them. */
export function givenParams(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v)) as Record<string, string>;
}
