/**
 * Which providers carry a message, in failover order. Twilio is never a route to +98 (it stopped delivering to
 * Iran on 15 March 2025): +98 SMS goes Kavenegar → SMS.ir, and +98 WhatsApp goes by SMS the same way.
 */
export type Channel = "email" | "sms" | "whatsapp";
export type ProviderName = "resend" | "smtp" | "kavenegar" | "smsir" | "twilio";

export interface Route {
  /** What is actually sent (a +98 WhatsApp message is sent as an SMS). */
  channel: Channel;
  providers: ProviderName[];
}

export function isIranian(number: string): boolean {
  return number.startsWith("+98");
}

export function routeFor(channel: Channel, recipient: string): Route {
  if (channel === "email") return { channel, providers: ["resend", "smtp"] };
  if (isIranian(recipient)) return { channel: "sms", providers: ["kavenegar", "smsir"] };
  return { channel, providers: ["twilio"] };
}
