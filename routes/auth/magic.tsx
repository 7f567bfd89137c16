// routes/auth/magic.tsx — GET/POST /auth/magic (email a one-time sign-in link)
import { sendMagicLink } from "../../lib/auth/sign_in.ts";
import { emailLinkRoute } from "./_email_link_route.tsx";

export const magic = emailLinkRoute({ name: "magic", send: sendMagicLink, sentKind: "magic" });
