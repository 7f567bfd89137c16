-- Purpose: one shape for the ledger's repeated code. The amount rule (a whole number of rials from 1 to
--          10^15) was written out in six functions and payments.create_pending; it is now
--          ledger.assert_valid_amount, the only place that states it. ledger.post_credit and
--          ledger.post_debit were the same body with the legs swapped; both now call
--          ledger.post_against_clearing. Signatures, error codes and messages, grants, comments, SECURITY
--          DEFINER and search_path pinning are unchanged (create or replace keeps grants and comments).
-- Access: the two new functions are internal (owner only, no grants), like the helpers they replace.
-- Risk: high (money), but behaviour-preserving: the checks run in the same order with the same SQLSTATEs,
--       and a credit's or debit's request hash is built from the same fields, so replays of keys used
--       before this migration still match. ledger.adjust keeps its own rule (a signed, non-zero amount).

create function ledger.assert_valid_amount(
  amount bigint,
  error_code text default 'LW004',
  error_detail text default 'The amount must be a whole number of rials between 1 and 10^15.'
) returns void
language plpgsql immutable parallel safe as $$
begin
  -- `not between` is null for a null amount, so test null explicitly: null is as invalid as 0.
  if amount is null or amount not between 1 and 1000000000000000 then
    raise exception 'invalid_amount' using errcode = error_code, detail = error_detail;
  end if;
end $$;
comment on function ledger.assert_valid_amount(bigint, text, text) is
  'Raises invalid_amount (LW004 unless the caller names its own code, as payments does with PY008) unless the amount is a whole number of rials from 1 to 10^15. Internal.';
revoke execute on function ledger.assert_valid_amount(bigint, text, text)
  from public, anon, authenticated, service_role;

-- A credit and a debit are the same posting between a wallet and gateway clearing; only the direction and
-- the kinds each accepts differ.
create function ledger.post_against_clearing(
  user_id uuid, amount bigint, kind ledger.transaction_kind, idempotency_key text, metadata jsonb,
  into_wallet boolean
) returns bigint
language plpgsql as $$
declare
  wallet bigint;
  clearing bigint;
begin
  perform ledger.assert_valid_amount(amount);
  if into_wallet and (kind is null or kind not in ('topup', 'credit')) then
    raise exception 'invalid_kind' using errcode = 'LW017', detail = 'A credit is a topup or a credit.';
  end if;
  if not into_wallet and (kind is null or kind not in ('refund', 'debit')) then
    raise exception 'invalid_kind' using errcode = 'LW017', detail = 'A debit is a refund or a debit.';
  end if;
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  clearing := ledger.system_account_id('gateway_clearing');
  return ledger.post_transaction(kind, ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'metadata', coalesce(metadata, '{}')),
    metadata,
    case when into_wallet then array[clearing, wallet] else array[wallet, clearing] end,
    array[-amount, amount]);
end $$;
comment on function ledger.post_against_clearing(uuid, bigint, ledger.transaction_kind, text, jsonb, boolean) is
  'The body of post_credit (into_wallet) and post_debit: one posting between a wallet and gateway clearing. Internal.';
revoke execute on function ledger.post_against_clearing(uuid, bigint, ledger.transaction_kind, text, jsonb, boolean)
  from public, anon, authenticated, service_role;

create or replace function ledger.post_credit(
  user_id uuid, amount bigint, kind ledger.transaction_kind, idempotency_key text, metadata jsonb default '{}'
) returns bigint
language plpgsql security definer set search_path = '' as $$
begin
  return ledger.post_against_clearing(user_id, amount, kind, idempotency_key, metadata, true);
end $$;

create or replace function ledger.post_debit(
  user_id uuid, amount bigint, kind ledger.transaction_kind, idempotency_key text, metadata jsonb default '{}'
) returns bigint
language plpgsql security definer set search_path = '' as $$
begin
  return ledger.post_against_clearing(user_id, amount, kind, idempotency_key, metadata, false);
end $$;

-- Every other caller of the amount rule, unchanged but for the guard.
create or replace function ledger.move_between_wallets(
  from_user uuid, to_user uuid, amount bigint, scope text, idempotency_key text, note text
) returns bigint
language plpgsql as $$
declare
  from_account bigint;
  to_account bigint;
begin
  perform ledger.assert_valid_amount(amount);
  if note is not null and length(note) > 200 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The note is longer than 200 characters.';
  end if;
  if from_user = to_user then
    raise exception 'self_transfer' using errcode = 'LW005', detail = 'You cannot transfer to yourself.';
  end if;
  from_account := ledger.wallet_account_id(from_user);
  if from_account is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'The sender has no wallet.';
  end if;
  to_account := ledger.wallet_account_id(to_user);
  if to_account is null then
    raise exception 'recipient_not_found' using errcode = 'LW003';
  end if;
  return ledger.post_transaction('transfer', scope, idempotency_key,
    jsonb_build_object('from', from_user, 'to', to_user, 'amount', amount, 'note', note),
    jsonb_strip_nulls(jsonb_build_object('from_user', from_user, 'to_user', to_user, 'note', note)),
    array[from_account, to_account], array[-amount, amount]);
end $$;

create or replace function ledger.transfer(recipient text, amount bigint, idempotency_key text, note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  sender uuid := auth.uid();
  target uuid;
begin
  if sender is null then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  perform ledger.assert_valid_amount(amount);
  target := ledger.find_user(recipient);
  if target is null then
    raise exception 'recipient_not_found' using errcode = 'LW003',
      detail = 'No user has this email address or phone number.';
  end if;
  return ledger.move_between_wallets(sender, target, amount, 'user:' || sender::text, idempotency_key,
    nullif(btrim(note), ''));
end $$;

create or replace function ledger.charge(
  user_id uuid, amount bigint, idempotency_key text, metadata jsonb default '{}', account_code text default 'revenue'
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  wallet bigint;
begin
  perform ledger.assert_valid_amount(amount);
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.post_transaction('charge', ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'account', account_code,
      'metadata', coalesce(metadata, '{}')),
    metadata, array[wallet, ledger.system_account_id(account_code)], array[-amount, amount]);
end $$;

create or replace function ledger.request_withdrawal(amount bigint, iban text, idempotency_key text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  requester uuid := auth.uid();
  sheba text := upper(regexp_replace(coalesce(iban, ''), '[\s-]', '', 'g'));
  hash uuid;
  wallet bigint;
  existing record;
  new_id bigint;
begin
  if requester is null then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  perform ledger.assert_valid_amount(amount);
  if not ledger.iban_is_valid(sheba) then
    raise exception 'invalid_iban' using errcode = 'LW006',
      detail = 'A Sheba number is IR followed by 24 digits with a valid checksum.';
  end if;
  if idempotency_key is null or length(idempotency_key) not between 1 and 255 then
    raise exception 'invalid_idempotency_key' using errcode = 'LW012';
  end if;
  hash := md5(jsonb_build_object('amount', amount, 'iban', sheba)::text)::uuid;
  wallet := ledger.wallet_account_id(requester);
  -- The wallet row lock serializes this wallet's requests, so the key check below cannot race.
  perform 1 from ledger.wallet_balances b where b.account_id = wallet for update;
  select w.id, w.request_hash into existing from ledger.withdrawals w
  where w.account_id = wallet and w.idempotency_key = request_withdrawal.idempotency_key;
  if existing.id is not null then
    if existing.request_hash <> hash then
      raise exception 'idempotency_conflict' using errcode = 'LW002',
        detail = 'This idempotency key was already used for a different request.';
    end if;
    return existing.id;
  end if;
  insert into ledger.withdrawals (user_id, account_id, amount, iban, hold_id, idempotency_key, request_hash)
  values (requester, wallet, amount, sheba, ledger.place_hold(wallet, amount, 'withdrawal'), idempotency_key, hash)
  returning id into new_id;
  return new_id;
end $$;

create or replace function payments.create_pending(
  amount bigint, description text, merchant_key text, ttl_seconds integer default 1800
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  open_count integer;
  new_id bigint;
begin
  if caller is null then
    raise exception 'not_authenticated' using errcode = 'PY010';
  end if;
  perform ledger.assert_valid_amount(amount, 'PY008', 'The amount must be a positive number of rials.');
  if ttl_seconds is null or ttl_seconds not between 60 and 86400
     or description is null or length(description) not between 1 and 500
     or merchant_key is null or merchant_key !~ '^[0-9a-f]{16}$' then
    raise exception 'invalid_input' using errcode = 'PY012';
  end if;
  -- One opener at a time per user, so the count below cannot be raced past.
  perform pg_advisory_xact_lock(hashtextextended('payments.create_pending:' || caller::text, 0));
  select count(*) into open_count from public.payments p
  where p.user_id = caller and p.status = 'pending' and p.created_at > now() - interval '1 hour';
  if open_count >= 10 then
    raise exception 'too_many_pending' using errcode = 'PY007',
      detail = 'Finish or abandon your open payments before starting another.';
  end if;
  insert into public.payments (user_id, merchant_key, amount, description, expires_at)
  values (caller, create_pending.merchant_key, create_pending.amount, create_pending.description,
          now() + make_interval(secs => ttl_seconds))
  returning id into new_id;
  return new_id;
end $$;

-- Nothing calls the old predicate any more; keeping it would leave a second statement of the rule.
drop function ledger.amount_is_valid(bigint);
