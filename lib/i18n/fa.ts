/** The Persian catalogue (default locale), collected from the domains' lib/<domain>/messages.fa.ts like en.ts. */
import type { Domain, en } from "./en.ts";
import { fa as shared } from "./messages.fa.ts";
import { fa as wallet } from "../wallet/messages.fa.ts";
import { fa as payments } from "../payments/messages.fa.ts";
import { fa as auth } from "../auth/messages.fa.ts";
import { fa as users } from "../users/messages.fa.ts";
import { fa as audit } from "../audit/messages.fa.ts";
import { fa as apikeys } from "../apikeys/messages.fa.ts";
import { fa as tickets } from "../tickets/messages.fa.ts";
import { fa as phone } from "../phone/messages.fa.ts";
import { fa as notifications } from "../notifications/messages.fa.ts";

/** Each domain's Persian messages, by domain (the same domains as `enByDomain`). */
export const faByDomain: Record<Domain, Record<string, string>> = {
  shared,
  wallet,
  payments,
  auth,
  users,
  audit,
  apikeys,
  tickets,
  phone,
  notifications,
};

export const fa: Record<keyof typeof en, string> = {
  ...shared,
  ...wallet,
  ...payments,
  ...auth,
  ...users,
  ...audit,
  ...apikeys,
  ...tickets,
  ...phone,
  ...notifications,
};
