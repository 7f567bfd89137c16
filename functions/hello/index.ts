// functions/hello — a minimal Edge Function proving the functions host: echoes the caller's name and time.
const handler = (request: Request): Response => {
  const name = new URL(request.url).searchParams.get("name") ?? "world";
  return Response.json({ message: `hello ${name}`, at: new Date().toISOString() });
};

export default handler;

if (import.meta.main) Deno.serve(handler);
