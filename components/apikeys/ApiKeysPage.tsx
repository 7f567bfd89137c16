/**
 * The staff API keys page: a key just made (shown this once), the create form, and every key with rotate and
 * revoke forms on the live ones. Works without JavaScript.
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import { API_KEY_SCOPES, type ApiKeyRow, type ApiKeyScope, type NewApiKey } from "../../lib/apikeys/store.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { Notice } from "../ui/Notice.tsx";
import { CheckboxField, SelectField, TextField } from "../forms/Field.tsx";
import { Breadcrumbs, type PageProps } from "../admin/shell.tsx";

const SCOPE_LABELS: Record<ApiKeyScope, MessageKey> = {
  "charges.create": "admin.apiKeys.scope.charges.create",
  "transfers.batch": "admin.apiKeys.scope.transfers.batch",
};

export interface ApiKeysPageProps extends PageProps {
  keys: ApiKeyRow[];
  /** Accounts a new key may credit (system account codes). */
  accounts: string[];
  /** A key made by this very request (create or rotate): its only appearance. */
  made?: NewApiKey & { kind: "created" | "rotated" };
  /** A key revoked just before (after the redirect). */
  revoked?: string;
  problem?: string;
}

export function ApiKeysPage({ t, locale, keys, accounts, made, revoked, problem }: ApiKeysPageProps) {
  return (
    <div class="stack">
      <Breadcrumbs t={t} />
      <h1>{t("admin.apiKeys.title")}</h1>
      <p class="lead">{t("admin.apiKeys.lead")}</p>
      {/* Machine text: the request as a program sends it. */}
      <p>
        <code dir="ltr">POST /api/v1/charges · Authorization: Bearer &lt;key&gt;</code>
      </p>
      {made && (
        <Notice kind="success" data={{ "data-new-api-key": made.id }}>
          <p>
            {made.kind === "created"
              ? t("admin.apiKeys.notice.created", { prefix: made.prefix })
              : t("admin.apiKeys.notice.rotated", { prefix: made.prefix })}
          </p>
          <p>{t("admin.apiKeys.shownOnce")}</p>
          <p>
            <code class="ltr-inline api-key-once" dir="ltr">{made.apiKey}</code>
          </p>
        </Notice>
      )}
      <Notice kind="success" text={revoked && t("admin.apiKeys.notice.revoked", { prefix: revoked })} />
      <Notice kind="error" text={problem} />
      <DataTable
        caption={t("admin.apiKeys.title")}
        empty={t("admin.apiKeys.empty")}
        rows={keys}
        rowAttributes={(k) => ({ "data-api-key": k.id })}
        columns={[
          { header: t("admin.apiKeys.name"), cell: (k) => <bdi dir="auto">{k.name}</bdi> },
          {
            header: t("admin.apiKeys.column.key"),
            class: "nowrap",
            cell: (k) => <bdi class="ltr-inline" dir="ltr">{k.prefix}…</bdi>,
          },
          { header: t("admin.apiKeys.account"), cell: (k) => <bdi dir="ltr">{k.accountCode}</bdi> },
          {
            header: t("admin.apiKeys.column.scopes"),
            cell: (k) =>
              k.scopes.length ? <bdi dir="ltr">{k.scopes.join(", ")}</bdi> : t("admin.apiKeys.noScopes"),
          },
          {
            header: t("admin.apiKeys.column.created"),
            cell: (k) => (
              <>
                {formatDate(k.createdAt, locale, { time: true })}
                {k.createdByEmail && (
                  <>
                    <br />
                    <bdi dir="ltr">{k.createdByEmail}</bdi>
                  </>
                )}
              </>
            ),
          },
          {
            header: t("admin.apiKeys.column.lastUsed"),
            cell: (k) =>
              k.lastUsedAt ? formatDate(k.lastUsedAt, locale, { time: true }) : t("admin.apiKeys.never"),
          },
          {
            header: t("admin.apiKeys.column.status"),
            cell: (k) =>
              k.revokedAt
                ? (
                  <span class="badge badge-muted">
                    {t("admin.apiKeys.revoked", { date: formatDate(k.revokedAt, locale) })}
                  </span>
                )
                : (
                  <div class="api-key-actions">
                    <span class="badge">{t("admin.apiKeys.active")}</span>
                    <form method="post" action={`/admin/api-keys/${k.id}/rotate`}>
                      <button type="submit" class="button button-small">{t("admin.apiKeys.rotate")}</button>
                    </form>
                    <form method="post" action={`/admin/api-keys/${k.id}/revoke`}>
                      <button type="submit" class="button button-danger button-small">
                        {t("admin.apiKeys.revoke")}
                      </button>
                    </form>
                  </div>
                ),
          },
        ]}
      />
      <section class="card">
        <h2>{t("admin.apiKeys.new")}</h2>
        <form method="post" action="/admin/api-keys" class="stack">
          <TextField
            name="name"
            label={t("admin.apiKeys.name")}
            hint={t("admin.apiKeys.nameHint")}
            required
            maxLength={80}
          />
          <SelectField
            name="account"
            label={t("admin.apiKeys.account")}
            hint={t("admin.apiKeys.accountHint")}
            options={accounts.map((code) => ({ value: code, label: code, lang: "en" }))}
          />
          <fieldset>
            <legend>{t("admin.apiKeys.scopes")}</legend>
            {API_KEY_SCOPES.map((scope) => (
              <CheckboxField
                name={`scope.${scope}`}
                id={`scope-${scope.replace(".", "-")}`}
                label={t(SCOPE_LABELS[scope])}
                checked
              />
            ))}
          </fieldset>
          <button type="submit" class="button">{t("admin.apiKeys.create")}</button>
        </form>
      </section>
    </div>
  );
}
