/** JSON answers and error mapping shared by the Edge Functions (the web app has its own in lib/http). */
import { DomainError } from "../../lib/http/errors.tsx";

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
    if (error instanceof DomainError) return jsonError(error.status, error.code, error.message);
    console.error(
      JSON.stringify({ level: "error", function: name, error: String((error as Error)?.stack ?? error) }),
    );
    return jsonError(500, "internal", "Internal error");
  }
}

/** The bearer token of a request, if it sent one. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
}
