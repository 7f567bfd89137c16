/** Who is asking, as far as the request tells: client IP (through trusted proxies), user agent, request id. */
import type { AppContext } from "../http/env.ts";
import type { RequestContext } from "../audit/record.ts";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

/** A syntactically valid IPv4 or IPv6 literal (ports and brackets removed), or undefined. */
export function parseIp(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let ip = text.trim();
  if (ip.startsWith("[")) ip = ip.slice(1, ip.indexOf("]"));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  if (ip.startsWith("::ffff:") && IPV4.test(ip.slice(7))) ip = ip.slice(7);
  if (IPV4.test(ip)) return ip;
  return IPV6.test(ip) && ip.includes(":") ? ip.toLowerCase() : undefined;
}

/**
 * The address a per-IP limit counts under: an IPv4 address itself, an IPv6 address as its /64 (one
 * customer's network; its owner can pick any of 2^64 addresses in it), e.g. `2001:db8:1:2::/64`.
 */
export function limitSubject(ip: string): string {
  if (!ip.includes(":")) return ip;
  const [head, tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  // An embedded IPv4 tail (…:1.2.3.4) counts as two groups; only the first four groups matter here.
  const count = (groups: string[]) => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const groups = ip.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - count(left) - count(right))).fill("0"), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16));
  while (prefix.length < 4) prefix.push("0");
  return `${prefix.join(":")}::/64`;
}

/** Loopback and private ranges: where a reverse proxy or load balancer sits, never a visitor on the internet. */
export function isInternal(ip: string): boolean {
  return /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)/.test(ip) || ip === "::1" ||
    /^f[cd][0-9a-f]{2}:/i.test(ip) || /^fe80:/i.test(ip);
}

function peerAddress(c: AppContext): string | undefined {
  // Deno.serve passes ServeHandlerInfo as the Hono env; app.request() in tests passes nothing.
  const info = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return parseIp(info?.remoteAddr?.hostname);
}

/**
 * The client's address. X-Forwarded-For is believed only when the direct peer is internal (a proxy in
 * front of the app); then the right-most address that is not internal is the client.
 */
export function clientIp(c: AppContext): string | undefined {
  const peer = peerAddress(c);
  if (peer && !isInternal(peer)) return peer;
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map(parseIp)
    .filter((ip): ip is string => !!ip);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!isInternal(forwarded[i])) return forwarded[i];
  }
  return forwarded[0] ?? peer;
}

/** The request facts every audit entry and rate limit uses. */
export function requestContext(c: AppContext): RequestContext {
  return {
    ip: clientIp(c),
    userAgent: c.req.header("user-agent")?.slice(0, 512),
    requestId: c.var.requestId,
  };
}
