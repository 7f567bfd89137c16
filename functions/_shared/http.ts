/** JSON answers for the Edge Functions: errors go through the same mapper as the web app (lib/errors.ts). */
import { describeError, errorBody } from "../../lib/errors.ts";
import { isMessageKey, translate } from "../../lib/i18n/mod.ts";

export function jsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

/** Runs a handler: domain errors become their 4xx, anything else a logged 500 that reveals nothing. */
export async function answering(name: string, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    // Functions answer machines, in English: the catalogue's text where it has the code, else the fallback.
    const answer = describeError(
      error,
      (key, details) => isMessageKey(key) ? translate("en", key, details) : undefined,
    );
    if (answer.status === 500) {
      console.error(
        JSON.stringify({ level: "error", function: name, error: String((error as Error)?.stack ?? error) }),
      );
    }
    return Response.json(errorBody(answer), { status: answer.status });
  }
}

/** The bearer token of a request, if it sent one. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
}
