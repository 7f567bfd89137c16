-- Purpose: the money-moving API of the ledger: transfers between users (by email or phone), service
--          credits and debits against gateway clearing (payments settlement and refunds), charges by the
--          operator's services, admin adjustments and reversals. All go through ledger.post_transaction.
-- Access: signed-in users call ledger.transfer (as themselves); finance/admin call ledger.adjust and
--         ledger.reverse (permission `wallet.adjust`, checked inside); only service_role calls post_credit,
--         post_debit, post_transfer and charge. Every function is SECURITY DEFINER with search_path ''.
-- Internal helpers (no grants) carry no `set search_path`; see the note in the create_ledger migration.
-- Risk: high (money). Idempotency keys are unique per caller scope; replaying a key with the same request
--       returns the original transaction id, with a different request raises LW002 idempotency_conflict.

create function ledger.amount_is_valid(amount bigint) returns boolean
language sql immutable as $$
  select amount between 1 and 1000000000000000
$$;
comment on function ledger.amount_is_valid(bigint) is
  'A posting amount is a whole number of rials from 1 to 10^15 (callers raise LW004 otherwise). Internal.';

create function ledger.caller_scope() returns text
language sql stable as $$
  select coalesce('user:' || auth.uid()::text, 'service')
$$;
comment on function ledger.caller_scope() is
  'Whose idempotency keys these are: user:<uuid> for a signed-in caller, else service. Internal.';

create function ledger.find_user(recipient text) returns uuid
language plpgsql stable as $$
declare
  handle text := btrim(coalesce(recipient, ''));
  digits text;
  found uuid;
begin
  if position('@' in handle) > 0 then
    select u.id into found from auth.users u
    where u.email = lower(handle) and not u.is_sso_user and u.deleted_at is null;
    return found;
  end if;
  -- Phones: +98 912..., 0098..., 0912... and 912... all mean 98912...
  digits := regexp_replace(regexp_replace(handle, '[\s().-]', '', 'g'), '^(\+|00)', '');
  if digits ~ '^09[0-9]{9}$' then
    digits := '98' || substr(digits, 2);
  elsif digits ~ '^9[0-9]{9}$' then
    digits := '98' || digits;
  end if;
  if digits !~ '^[0-9]{8,15}$' then return null; end if;
  select u.id into found from auth.users u where u.phone = digits and u.deleted_at is null;
  if found is null then
    -- A phone on profiles counts only when exactly one user has it.
    select (array_agg(p.id))[1] into found from public.profiles p
    where p.phone in (digits, '+' || digits)
    having count(*) = 1;
  end if;
  return found;
end $$;
comment on function ledger.find_user(text) is 'The user with this email or phone number, or null. Internal.';

create function ledger.move_between_wallets(
  from_user uuid, to_user uuid, amount bigint, scope text, idempotency_key text, note text
) returns bigint
language plpgsql as $$
declare
  from_account bigint;
  to_account bigint;
begin
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
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
comment on function ledger.move_between_wallets(uuid, uuid, bigint, text, text, text) is
  'Posts a transfer between two users'' wallets. Internal: called by transfer and post_transfer.';

create function ledger.transfer(recipient text, amount bigint, idempotency_key text, note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  sender uuid := auth.uid();
  target uuid;
begin
  if sender is null then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
  target := ledger.find_user(recipient);
  if target is null then
    raise exception 'recipient_not_found' using errcode = 'LW003',
      detail = 'No user has this email address or phone number.';
  end if;
  return ledger.move_between_wallets(sender, target, amount, 'user:' || sender::text, idempotency_key,
    nullif(btrim(note), ''));
end $$;
comment on function ledger.transfer(text, bigint, text, text) is
  'Moves money from the signed-in user''s wallet to the user with this email or phone. Idempotent by key; refuses overdrafts. Returns the transaction id.';

create function ledger.post_transfer(
  from_user uuid, to_user uuid, amount bigint, idempotency_key text, note text default null
) returns bigint
language plpgsql security definer set search_path = '' as $$
begin
  return ledger.move_between_wallets(from_user, to_user, amount, ledger.caller_scope(), idempotency_key, note);
end $$;
comment on function ledger.post_transfer(uuid, uuid, bigint, text, text) is
  'Service transfer between two users'' wallets by id. Idempotent by key; refuses overdrafts.';

create function ledger.post_credit(
  user_id uuid, amount bigint, kind ledger.transaction_kind, idempotency_key text, metadata jsonb default '{}'
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  wallet bigint;
begin
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
  if kind is null or kind not in ('topup', 'credit') then
    raise exception 'invalid_kind' using errcode = 'LW017', detail = 'A credit is a topup or a credit.';
  end if;
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.post_transaction(kind, ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'metadata', coalesce(metadata, '{}')),
    metadata, array[ledger.system_account_id('gateway_clearing'), wallet], array[-amount, amount]);
end $$;
comment on function ledger.post_credit(uuid, bigint, ledger.transaction_kind, text, jsonb) is
  'Service: credits a wallet from gateway clearing (payment settlement), in the caller''s transaction. Idempotent by key.';

create function ledger.post_debit(
  user_id uuid, amount bigint, kind ledger.transaction_kind, idempotency_key text, metadata jsonb default '{}'
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  wallet bigint;
begin
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
  if kind is null or kind not in ('refund', 'debit') then
    raise exception 'invalid_kind' using errcode = 'LW017', detail = 'A debit is a refund or a debit.';
  end if;
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.post_transaction(kind, ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'metadata', coalesce(metadata, '{}')),
    metadata, array[wallet, ledger.system_account_id('gateway_clearing')], array[-amount, amount]);
end $$;
comment on function ledger.post_debit(uuid, bigint, ledger.transaction_kind, text, jsonb) is
  'Service: debits a wallet back to gateway clearing (refunds); refuses when the wallet cannot cover it. Idempotent by key.';

create function ledger.charge(
  user_id uuid, amount bigint, idempotency_key text, metadata jsonb default '{}', account_code text default 'revenue'
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  wallet bigint;
begin
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.post_transaction('charge', ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'account', account_code,
      'metadata', coalesce(metadata, '{}')),
    metadata, array[wallet, ledger.system_account_id(account_code)], array[-amount, amount]);
end $$;
comment on function ledger.charge(uuid, bigint, text, jsonb, text) is
  'Service: charges a user''s wallet for the operator''s services, to revenue or another system (merchant) account. Idempotent; refuses overdrafts.';

create function ledger.check_reason(reason text) returns text
language plpgsql as $$
begin
  if reason is null or length(btrim(reason)) < 3 then
    raise exception 'reason_required' using errcode = 'LW013', detail = 'Give a reason of at least 3 characters.';
  end if;
  if length(reason) > 500 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The reason is longer than 500 characters.';
  end if;
  return btrim(reason);
end $$;
comment on function ledger.check_reason(text) is 'A trimmed mandatory reason (LW013 when missing). Internal.';

create function ledger.adjust(user_id uuid, amount bigint, reason text, idempotency_key text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  wallet bigint;
  why text;
begin
  if not public.authorize('wallet.adjust') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Adjusting wallets needs wallet.adjust.';
  end if;
  if amount is null or amount = 0 or abs(amount) > 1000000000000000 then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'An adjustment is a non-zero whole number of rials up to 10^15 either way.';
  end if;
  why := ledger.check_reason(reason);
  wallet := ledger.wallet_account_id(user_id);
  if wallet is null then
    raise exception 'account_not_found' using errcode = 'LW015', detail = 'No such user.';
  end if;
  return ledger.post_transaction('adjustment', ledger.caller_scope(), idempotency_key,
    jsonb_build_object('user', user_id, 'amount', amount, 'reason', why),
    jsonb_strip_nulls(jsonb_build_object('reason', why, 'actor', auth.uid())),
    array[ledger.system_account_id('adjustments'), wallet], array[-amount, amount]);
end $$;
comment on function ledger.adjust(uuid, bigint, text, text) is
  'Finance: a signed manual adjustment of a wallet against the adjustments account, with a mandatory reason (permission wallet.adjust).';

create function ledger.reverse(transaction_id bigint, reason text, idempotency_key text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  original ledger.transactions;
  why text;
  legs_accounts bigint[];
  legs_amounts bigint[];
  posted bigint;
begin
  if not public.authorize('wallet.adjust') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Reversals need wallet.adjust.';
  end if;
  why := ledger.check_reason(reason);
  select * into original from ledger.transactions t where t.id = reverse.transaction_id;
  if not found then
    raise exception 'transaction_not_found' using errcode = 'LW014';
  end if;
  if original.kind = 'reversal' then
    raise exception 'not_reversible' using errcode = 'LW016', detail = 'A reversal cannot be reversed.';
  end if;
  select array_agg(e.account_id order by e.leg), array_agg(-e.amount order by e.leg)
  into legs_accounts, legs_amounts
  from ledger.entries e where e.transaction_id = original.id;
  begin
    posted := ledger.post_transaction('reversal', ledger.caller_scope(), idempotency_key,
      jsonb_build_object('reverses', original.id, 'reason', why),
      jsonb_strip_nulls(jsonb_build_object('reason', why, 'reversed_kind', original.kind, 'actor', auth.uid())),
      legs_accounts, legs_amounts, original.id);
  exception when unique_violation then
    raise exception 'already_reversed' using errcode = 'LW011',
      detail = format('transaction %s has already been reversed', original.id);
  end;
  return posted;
end $$;
comment on function ledger.reverse(bigint, text, text) is
  'Finance: posts a new transaction that negates every entry of the original and links to it; once per transaction.';

revoke execute on function ledger.amount_is_valid(bigint), ledger.caller_scope(), ledger.find_user(text),
  ledger.move_between_wallets(uuid, uuid, bigint, text, text, text), ledger.check_reason(text),
  ledger.transfer(text, bigint, text, text), ledger.post_transfer(uuid, uuid, bigint, text, text),
  ledger.post_credit(uuid, bigint, ledger.transaction_kind, text, jsonb),
  ledger.post_debit(uuid, bigint, ledger.transaction_kind, text, jsonb),
  ledger.charge(uuid, bigint, text, jsonb, text), ledger.adjust(uuid, bigint, text, text),
  ledger.reverse(bigint, text, text)
  from public, anon, authenticated, service_role;
grant execute on function ledger.transfer(text, bigint, text, text) to authenticated;
grant execute on function ledger.adjust(uuid, bigint, text, text) to authenticated, service_role;
grant execute on function ledger.reverse(bigint, text, text) to authenticated, service_role;
grant execute on function ledger.post_transfer(uuid, uuid, bigint, text, text) to service_role;
grant execute on function ledger.post_credit(uuid, bigint, ledger.transaction_kind, text, jsonb) to service_role;
grant execute on function ledger.post_debit(uuid, bigint, ledger.transaction_kind, text, jsonb) to service_role;
grant execute on function ledger.charge(uuid, bigint, text, jsonb, text) to service_role;
