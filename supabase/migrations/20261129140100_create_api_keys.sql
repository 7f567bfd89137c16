-- Purpose: API keys for the operator's services (issue 11 item 5). `/api/v1/charges` authenticates with one
--          of these instead of the project's secret key. A key is `pk_live_` and 64 hex digits (244 random
--          bits); only its sha256 is stored, with a visible prefix (`pk_live_ab12`) to tell keys apart. The
--          plaintext is returned once, by the function that makes it.
--          A key has scopes (today only `charges.create`; an empty set authenticates but may do nothing)
--          and ONE account it credits: a system account that is not one of the ledger's own bookkeeping
--          accounts (revenue, or a merchant account), never a user wallet — a key must not be able to
--          move money from one person to another. It charges any user's wallet (the API body names it).
--          Idempotency: a key's charges are posted in the ledger scope `apikey:<id>`, so its keys can never
--          meet the internal ones (`payment:…`, `withdrawal:…`, `refund:…` in scope `service`/`system`),
--          nor another key's. Rotating makes a new key (a new scope), revokes the old one and links them.
--          payments.settle now flags a payment for review, with the reason, when its ledger credit is
--          refused (e.g. an idempotency conflict), instead of failing on every retry.
-- Access: staff with `api_keys.manage` (admin) read keys (never the hash: column grants) and create,
--         rotate and revoke them through SECURITY DEFINER functions; nobody writes the table directly.
--         ledger.charge_with_key is executable by service_role only (the app's API route).
-- Risk: high (money and credentials). Lookup is by the unique index on key_hash (an equality on a hash
--       of a 244-bit secret: its timing says nothing usable about the key).
-- Error codes (mapped by lib/apikeys/errors.ts):
--   AK001 api_key_invalid (unknown or revoked key), AK002 api_key_scope (the key lacks the scope),
--   AK003 api_key_not_found, AK004 api_key_revoked (rotate/revoke of a revoked key), AK005 invalid_api_key_input,
--   AK006 api_key_account (not an account a key may credit), AK007 not_permitted.

insert into public.role_permissions (role, permission) values ('admin', 'api_keys.manage')
on conflict do nothing;

create table public.api_keys (
  id bigint generated always as identity primary key,
  name text not null check (length(btrim(name)) between 1 and 80),
  prefix text not null check (prefix ~ '^pk_live_[0-9a-f]{4}$'),
  key_hash bytea not null check (length(key_hash) = 32),
  scopes text[] not null default '{}' check (scopes <@ array['charges.create']::text[]),
  account_id bigint not null references ledger.accounts (id),
  created_at timestamptz not null default now(),
  created_by uuid references auth.users (id) on delete set null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  replaced_by bigint references public.api_keys (id),
  constraint api_keys_key_hash unique (key_hash),
  constraint api_keys_replaced_means_revoked check (replaced_by is null or revoked_at is not null)
);
comment on table public.api_keys is
  'Keys the operator''s services use on /api/v1 (charges): the sha256 of the key, a visible prefix, scopes, the system account it credits, and who made and revoked it. The key itself is never stored.';
comment on column public.api_keys.key_hash is 'sha256 of the whole key; unique, so a lookup is one index probe.';
create index api_keys_account_id_idx on public.api_keys (account_id);
create index api_keys_created_by_idx on public.api_keys (created_by);
create index api_keys_revoked_by_idx on public.api_keys (revoked_by);
create index api_keys_replaced_by_idx on public.api_keys (replaced_by);

alter table public.api_keys enable row level security;
revoke all on table public.api_keys from anon, authenticated;
grant select (id, name, prefix, scopes, account_id, created_at, created_by, last_used_at, revoked_at, revoked_by,
              replaced_by) on table public.api_keys to authenticated;
grant select on table public.api_keys to service_role;

create policy "api_keys: api_keys.manage can select" on public.api_keys
  for select to authenticated
  using ((select public.authorize('api_keys.manage')));

-- helpers (internal: no grants) ----------------------------------------------------------------------
create function private.api_key_hash(api_key text) returns bytea
language sql immutable as $$
  select sha256(convert_to(coalesce(api_key, ''), 'UTF8'))
$$;
comment on function private.api_key_hash(text) is 'The stored form of a key: its sha256. Internal.';

create function private.api_key_account(account_code text) returns bigint
language plpgsql stable as $$
declare
  found bigint;
begin
  select a.id into found from ledger.accounts a
  where a.kind = 'system' and a.code = account_code
    and a.code not in ('gateway_clearing', 'payouts', 'adjustments', 'fees');
  if found is null then
    raise exception 'api_key_account' using errcode = 'AK006',
      detail = 'A key credits revenue or a merchant account, never a wallet or a bookkeeping account.';
  end if;
  return found;
end $$;
comment on function private.api_key_account(text) is
  'The id of a system account a key may credit (not gateway_clearing, payouts, adjustments or fees). Internal.';

create function private.insert_api_key(
  key_name text, account bigint, key_scopes text[], out id bigint, out api_key text, out prefix text
)
language plpgsql as $$
begin
  if key_name is null or length(btrim(key_name)) not between 1 and 80
     or key_scopes is null or not (key_scopes <@ array['charges.create']::text[]) then
    raise exception 'invalid_api_key_input' using errcode = 'AK005',
      detail = 'A name of 1 to 80 characters and known scopes are required.';
  end if;
  api_key := 'pk_live_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  prefix := left(api_key, 12);
  insert into public.api_keys (name, prefix, key_hash, scopes, account_id, created_by)
  values (btrim(key_name), insert_api_key.prefix, private.api_key_hash(api_key),
          array(select distinct s from unnest(key_scopes) s order by s), account, auth.uid())
  returning api_keys.id into insert_api_key.id;
end $$;
comment on function private.insert_api_key(text, bigint, text[]) is
  'Makes a key and stores its hash; returns the key (once). Internal.';

create function private.assert_api_keys_manager() returns void
language plpgsql stable as $$
begin
  if not public.authorize('api_keys.manage') then
    raise exception 'not_permitted' using errcode = 'AK007', detail = 'This needs the api_keys.manage permission.';
  end if;
end $$;
comment on function private.assert_api_keys_manager() is 'Refuses (AK007) a caller without api_keys.manage. Internal.';

-- staff functions --------------------------------------------------------------------------------------
create function public.create_api_key(
  key_name text, account_code text default 'revenue', key_scopes text[] default array['charges.create']
) returns table (id bigint, api_key text, prefix text)
language plpgsql security definer set search_path = '' as $$
begin
  perform private.assert_api_keys_manager();
  return query select k.id, k.api_key, k.prefix
    from private.insert_api_key(key_name, private.api_key_account(account_code), key_scopes) k;
end $$;
comment on function public.create_api_key(text, text, text[]) is
  'api_keys.manage: makes a key for the account and scopes; the key is in the result, and nowhere else, ever.';

create function public.rotate_api_key(key_id bigint) returns table (id bigint, api_key text, prefix text)
language plpgsql security definer set search_path = '' as $$
declare
  old public.api_keys;
  made record;
begin
  perform private.assert_api_keys_manager();
  select * into old from public.api_keys k where k.id = key_id for update;
  if not found then
    raise exception 'api_key_not_found' using errcode = 'AK003';
  end if;
  if old.revoked_at is not null then
    raise exception 'api_key_revoked' using errcode = 'AK004', detail = 'This key is already revoked.';
  end if;
  select * into made from private.insert_api_key(old.name, old.account_id, old.scopes);
  update public.api_keys k set revoked_at = now(), revoked_by = auth.uid(), replaced_by = made.id
  where k.id = old.id;
  return query select made.id, made.api_key, made.prefix;
end $$;
comment on function public.rotate_api_key(bigint) is
  'api_keys.manage: a new key with the same name, scopes and account; the old one is revoked and points to it.';

create function public.revoke_api_key(key_id bigint) returns text
language plpgsql security definer set search_path = '' as $$
declare
  revoked_prefix text;
begin
  perform private.assert_api_keys_manager();
  update public.api_keys k set revoked_at = now(), revoked_by = auth.uid()
  where k.id = key_id and k.revoked_at is null
  returning k.prefix into revoked_prefix;
  if revoked_prefix is null then
    if exists (select 1 from public.api_keys k where k.id = key_id) then
      raise exception 'api_key_revoked' using errcode = 'AK004', detail = 'This key is already revoked.';
    end if;
    raise exception 'api_key_not_found' using errcode = 'AK003';
  end if;
  return revoked_prefix;
end $$;
comment on function public.revoke_api_key(bigint) is 'api_keys.manage: revokes a key at once (it cannot be undone); returns its prefix.';

revoke execute on function public.create_api_key(text, text, text[]), public.rotate_api_key(bigint),
  public.revoke_api_key(bigint) from public, anon;
grant execute on function public.create_api_key(text, text, text[]), public.rotate_api_key(bigint),
  public.revoke_api_key(bigint) to authenticated, service_role;

-- charging with a key ------------------------------------------------------------------------------------
create function ledger.charge_with_key(
  api_key text, user_id uuid, amount bigint, idempotency_key text, metadata jsonb default '{}'
) returns table (transaction_id bigint, created_at timestamptz, created boolean, api_key_id bigint)
language plpgsql security definer set search_path = '' as $$
declare
  key_row public.api_keys;
  wallet bigint;
  posted bigint;
begin
  select * into key_row from public.api_keys k where k.key_hash = private.api_key_hash(api_key);
  if key_row.id is null or key_row.revoked_at is not null then
    raise exception 'api_key_invalid' using errcode = 'AK001';
  end if;
  if not 'charges.create' = any (key_row.scopes) then
    raise exception 'api_key_scope' using errcode = 'AK002', detail = 'This key lacks the charges.create scope.';
  end if;
  -- At most one write a minute per key, so a busy key does not turn every charge into a row update.
  update public.api_keys k set last_used_at = now()
  where k.id = key_row.id and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute');
  perform ledger.assert_valid_amount(amount);
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  posted := ledger.post_transaction('charge', 'apikey:' || key_row.id, idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'account', key_row.account_id,
      'metadata', coalesce(metadata, '{}')),
    coalesce(metadata, '{}') || jsonb_build_object('api_key_id', key_row.id),
    array[wallet, key_row.account_id], array[-amount, amount]);
  return query select t.id, t.created_at, t.created_at = now(), key_row.id
    from ledger.transactions t where t.id = posted;
end $$;
comment on function ledger.charge_with_key(text, uuid, bigint, text, jsonb) is
  'Service: charges a user''s wallet to the key''s account, authenticated by the key (AK001 unknown or revoked, AK002 no charges.create). Idempotency keys are scoped to the key (apikey:<id>), apart from every internal key.';
revoke execute on function ledger.charge_with_key(text, uuid, bigint, text, jsonb) from public, anon, authenticated;
grant execute on function ledger.charge_with_key(text, uuid, bigint, text, jsonb) to service_role;
