// routes/admin/tickets/_shared.ts — what the staff help desk modules share: the ticket id param and the
// "ids" of a form (one checkbox or many); ids are int8 (the one shared id schema)
import { z } from "zod";
import { int8Id } from "../../../lib/http/schemas.ts";

export const ticketParams = z.object({ id: int8Id });

/** One ticked checkbox arrives as a string, several as an array. */
export const idList = z.union([z.string(), z.array(z.string())]).transform((
  v,
) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(int8Id).min(1).max(100));
