// routes/admin/tickets/_shared.ts — what the staff help desk modules share: id patterns and the
// "ids" of a form (one checkbox or many)
import { z } from "zod";

export const TICKET_ID = /^[1-9][0-9]{0,18}$/;
export const ticketParams = z.object({ id: z.string().regex(TICKET_ID) });

/** One ticked checkbox arrives as a string, several as an array. */
export const idList = z.union([z.string(), z.array(z.string())]).transform((
  v,
) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(TICKET_ID)).min(1).max(100));
