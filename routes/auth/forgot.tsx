// routes/auth/forgot.tsx — GET/POST /auth/forgot (email a password-reset link)
import { requestPasswordReset } from "../../lib/auth/password.ts";
import { emailLinkRoute } from "./_email_link_route.tsx";

export const forgot = emailLinkRoute({ name: "forgot", send: requestPasswordReset, sentKind: "recovery" });
