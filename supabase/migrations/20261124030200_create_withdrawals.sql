-- Purpose: withdrawals from a wallet to an Iranian bank account (Sheba IBAN, ISO 13616 mod-97 checked).
--          Requesting holds the amount at once; finance approves with the bank's reference (the hold is
--          consumed: wallet debited, payouts credited) or rejects (the hold is released); the user may cancel
--          while it is pending. Holds are placed, released and consumed only by the functions here.
-- Access: users request, cancel and read their own withdrawals; staff with `withdrawals.manage` approve and
--         reject; staff with `withdrawals.manage` or `wallet.view` read all. No direct writes for API roles.
-- Internal helpers (no grants) carry no `set search_path`; see the note in the create_ledger migration.
-- Risk: high (money). Locks are taken withdrawal row → hold row → wallet row, the same order as every
--       other path, so reviews never deadlock with postings.

create type ledger.withdrawal_status as enum ('pending', 'approved', 'rejected', 'cancelled');

create function ledger.iban_is_valid(iban text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  -- Sheba: IR + 2 check digits + 22 digits; valid when (BBAN || 'IR' as 1827 || check digits) mod 97 = 1.
  select case
    when iban ~ '^IR[0-9]{24}$' then mod((substr(iban, 5) || '1827' || substr(iban, 3, 2))::numeric, 97) = 1
    else false
  end
$$;
comment on function ledger.iban_is_valid(text) is 'True for a well-formed Iranian IBAN (Sheba) with a valid mod-97 checksum.';

create table ledger.withdrawals (
  id bigint generated always as identity primary key,
  user_id uuid references auth.users (id) on delete set null,
  account_id bigint not null references ledger.accounts (id),
  amount bigint not null check (amount > 0),
  iban text not null constraint withdrawals_iban_check check (ledger.iban_is_valid(iban)),
  status ledger.withdrawal_status not null default 'pending',
  hold_id bigint not null unique references ledger.holds (id),
  transaction_id bigint unique references ledger.transactions (id),
  bank_reference text check (length(bank_reference) between 1 and 100),
  review_note text check (length(review_note) <= 500),
  reviewed_by uuid,
  reviewed_at timestamptz,
  idempotency_key text not null check (length(idempotency_key) between 1 and 255),
  request_hash uuid not null,
  created_at timestamptz not null default now(),
  constraint withdrawals_idempotency_key unique (account_id, idempotency_key),
  constraint withdrawals_approved_has_payout check ((status = 'approved') = (transaction_id is not null)),
  constraint withdrawals_approved_has_reference check (status <> 'approved' or bank_reference is not null),
  constraint withdrawals_decided_when_not_pending check ((status = 'pending') = (reviewed_at is null))
);
comment on table ledger.withdrawals is
  'Requests to pay wallet money out to a Sheba IBAN: pending (amount held) → approved (paid, with bank reference) | rejected | cancelled.';
create index withdrawals_user_id_idx on ledger.withdrawals (user_id, id);
create index withdrawals_status_idx on ledger.withdrawals (status, id);

revoke all on ledger.withdrawals from public, anon, authenticated, service_role;
grant select on ledger.withdrawals to authenticated, service_role;

alter table ledger.withdrawals enable row level security;

create policy "withdrawals: owner or finance can select" on ledger.withdrawals
  for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select public.authorize('withdrawals.manage'))
    or (select public.authorize('wallet.view'))
  );

-- holds (internal) ----------------------------------------------------------------------------------
create function ledger.place_hold(wallet bigint, amount bigint, reason text) returns bigint
language plpgsql as $$
declare
  hold_id bigint;
  changed ledger.wallet_balances;
begin
  update ledger.wallet_balances b set held = b.held + amount, updated_at = now()
  where b.account_id = wallet and b.balance - b.held >= amount
  returning b.* into changed;
  if not found then
    raise exception 'insufficient_funds' using errcode = 'LW001',
      detail = format('account %s cannot hold %s rials', wallet, amount);
  end if;
  perform pg_notify('wallet_changed', ledger.wallet_changed_payload(changed))
  where exists (select 1 from ledger.wallet_watchers w where w.user_id = changed.user_id and w.expires_at > now());
  insert into ledger.holds (account_id, amount, reason) values (wallet, amount, reason) returning id into hold_id;
  return hold_id;
end $$;
comment on function ledger.place_hold(bigint, bigint, text) is 'Reserves funds on a wallet (LW001 when short). Internal.';

create function ledger.release_hold(hold bigint) returns void
language plpgsql as $$
declare
  released ledger.holds;
  changed ledger.wallet_balances;
begin
  update ledger.holds h set status = 'released', resolved_at = now()
  where h.id = hold and h.status = 'active' returning * into released;
  if released.id is null then
    raise exception 'hold % is not active', hold using errcode = 'LW091';
  end if;
  update ledger.wallet_balances b set held = b.held - released.amount, updated_at = now()
  where b.account_id = released.account_id
  returning b.* into changed;
  perform pg_notify('wallet_changed', ledger.wallet_changed_payload(changed))
  where exists (select 1 from ledger.wallet_watchers w where w.user_id = changed.user_id and w.expires_at > now());
end $$;
comment on function ledger.release_hold(bigint) is 'Gives held funds back to the available balance. Internal.';

create function ledger.consume_hold(
  hold bigint, to_account bigint, posting_kind ledger.transaction_kind, idempotency_key text, metadata jsonb
) returns bigint
language plpgsql as $$
declare
  held_row ledger.holds;
  posted bigint;
begin
  select * into held_row from ledger.holds h where h.id = hold and h.status = 'active' for update;
  if not found then
    raise exception 'hold % is not active', hold using errcode = 'LW091';
  end if;
  -- No notification here: the posting below announces the wallet's final state.
  update ledger.wallet_balances b set held = b.held - held_row.amount, updated_at = now()
  where b.account_id = held_row.account_id;
  posted := ledger.post_transaction(posting_kind, 'system', idempotency_key,
    jsonb_build_object('hold', hold), metadata,
    array[held_row.account_id, to_account], array[-held_row.amount, held_row.amount]);
  update ledger.holds h set status = 'consumed', resolved_at = now(), transaction_id = posted
  where h.id = hold;
  return posted;
end $$;
comment on function ledger.consume_hold(bigint, bigint, ledger.transaction_kind, text, jsonb) is
  'Turns a hold into a posting from the wallet to another account. Internal.';

-- withdrawals API -----------------------------------------------------------------------------------
create function ledger.request_withdrawal(amount bigint, iban text, idempotency_key text) returns bigint
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
  if not coalesce(ledger.amount_is_valid(amount), false) then
    raise exception 'invalid_amount' using errcode = 'LW004',
      detail = 'The amount must be a whole number of rials between 1 and 10^15.';
  end if;
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
comment on function ledger.request_withdrawal(bigint, text, text) is
  'User: asks to pay out an amount to a Sheba IBAN; the amount is held at once. Idempotent by key. Returns the withdrawal id.';

create function ledger.approve_withdrawal(withdrawal_id bigint, bank_reference text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  reference text := nullif(btrim(bank_reference), '');
  w ledger.withdrawals;
  payout bigint;
begin
  if not public.authorize('withdrawals.manage') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Reviewing withdrawals needs withdrawals.manage.';
  end if;
  if reference is null or length(reference) > 100 then
    raise exception 'invalid_input' using errcode = 'LW018', detail = 'The bank reference (1 to 100 characters) is required.';
  end if;
  select * into w from ledger.withdrawals x where x.id = withdrawal_id for update;
  if not found then
    raise exception 'withdrawal_not_found' using errcode = 'LW007';
  end if;
  if w.status = 'approved' and w.bank_reference = reference then
    return w.transaction_id;
  end if;
  if w.status <> 'pending' then
    raise exception 'withdrawal_not_pending' using errcode = 'LW008',
      detail = format('The withdrawal is %s.', w.status);
  end if;
  payout := ledger.consume_hold(w.hold_id, ledger.system_account_id('payouts'), 'withdrawal',
    'withdrawal:' || w.id, jsonb_build_object('withdrawal_id', w.id, 'bank_reference', reference));
  update ledger.withdrawals x set status = 'approved', transaction_id = payout, bank_reference = reference,
    reviewed_by = auth.uid(), reviewed_at = now()
  where x.id = w.id;
  return payout;
end $$;
comment on function ledger.approve_withdrawal(bigint, text) is
  'Finance: marks a pending withdrawal paid with the bank''s reference: the hold is consumed, the wallet debited and payouts credited. Returns the transaction id.';

create function ledger.reject_withdrawal(withdrawal_id bigint, reason text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  why text;
  w ledger.withdrawals;
begin
  if not public.authorize('withdrawals.manage') then
    raise exception 'not_permitted' using errcode = 'LW009', detail = 'Reviewing withdrawals needs withdrawals.manage.';
  end if;
  why := ledger.check_reason(reason);
  select * into w from ledger.withdrawals x where x.id = withdrawal_id for update;
  if not found then
    raise exception 'withdrawal_not_found' using errcode = 'LW007';
  end if;
  if w.status = 'rejected' then return; end if;
  if w.status <> 'pending' then
    raise exception 'withdrawal_not_pending' using errcode = 'LW008',
      detail = format('The withdrawal is %s.', w.status);
  end if;
  perform ledger.release_hold(w.hold_id);
  update ledger.withdrawals x set status = 'rejected', review_note = why, reviewed_by = auth.uid(),
    reviewed_at = now()
  where x.id = w.id;
end $$;
comment on function ledger.reject_withdrawal(bigint, text) is
  'Finance: refuses a pending withdrawal with a reason; the held amount becomes available again.';

create function ledger.cancel_withdrawal(withdrawal_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
  w ledger.withdrawals;
begin
  if auth.uid() is null then
    raise exception 'not_authenticated' using errcode = 'LW010';
  end if;
  select * into w from ledger.withdrawals x
  where x.id = withdrawal_id and x.user_id = auth.uid() for update;
  if not found then
    raise exception 'withdrawal_not_found' using errcode = 'LW007';
  end if;
  if w.status = 'cancelled' then return; end if;
  if w.status <> 'pending' then
    raise exception 'withdrawal_not_pending' using errcode = 'LW008',
      detail = format('The withdrawal is %s.', w.status);
  end if;
  perform ledger.release_hold(w.hold_id);
  update ledger.withdrawals x set status = 'cancelled', reviewed_by = auth.uid(), reviewed_at = now()
  where x.id = w.id;
end $$;
comment on function ledger.cancel_withdrawal(bigint) is 'User: withdraws their own pending request; the held amount becomes available again.';

revoke execute on function ledger.iban_is_valid(text), ledger.place_hold(bigint, bigint, text),
  ledger.release_hold(bigint), ledger.consume_hold(bigint, bigint, ledger.transaction_kind, text, jsonb),
  ledger.request_withdrawal(bigint, text, text), ledger.approve_withdrawal(bigint, text),
  ledger.reject_withdrawal(bigint, text), ledger.cancel_withdrawal(bigint)
  from public, anon, authenticated, service_role;
grant execute on function ledger.iban_is_valid(text) to authenticated, service_role;
grant execute on function ledger.request_withdrawal(bigint, text, text) to authenticated;
grant execute on function ledger.cancel_withdrawal(bigint) to authenticated;
grant execute on function ledger.approve_withdrawal(bigint, text) to authenticated, service_role;
grant execute on function ledger.reject_withdrawal(bigint, text) to authenticated, service_role;
