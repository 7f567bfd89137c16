-- Purpose: a transfer to an email address does one query less. The balance check that keeps an unaffordable
--          transfer from revealing whether a recipient exists now runs only when the email matches nobody: a
--          known recipient's transfer checks the balance anyway when it moves the money (insufficient_funds
--          either way). A phone is still checked first, since its look-up refuses unverified numbers.
-- Access: unchanged (authenticated; ledger.transfer_as for the API).
-- Risk: low; the same answers in the same cases (tests/integration/transfer_recipients_test.ts).

/** Refuses with insufficient_funds when the sender cannot pay `amount` (a key already posted replays instead). */
create function ledger.refuse_unaffordable(sender uuid, amount bigint, idempotency_key text) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not exists (select 1 from ledger.wallet_balances b
                 where b.user_id = sender and b.balance - b.held >= amount)
     and not exists (select 1 from ledger.transactions t
                     where t.idempotency_scope = 'user:' || sender::text
                       and t.idempotency_key = refuse_unaffordable.idempotency_key) then
    raise exception 'insufficient_funds' using errcode = 'LW001',
      detail = 'The wallet cannot cover this amount.';
  end if;
end $$;
revoke execute on function ledger.refuse_unaffordable(uuid, bigint, text) from public, anon, authenticated, service_role;

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
  if position('@' in coalesce(recipient, '')) > 0 then
    target := ledger.find_user(recipient);
  else
    -- Before a phone is looked up: a sender who cannot pay learns nothing about who has verified it.
    perform ledger.refuse_unaffordable(sender, amount, idempotency_key);
    target := ledger.find_user(recipient);
  end if;
  if target is null or target = sender then
    -- Nobody has this address (or it is the sender's own): answer as an unaffordable transfer to a real one would.
    perform ledger.refuse_unaffordable(sender, amount, idempotency_key);
    if target is null then
      raise exception 'recipient_not_found' using errcode = 'LW003',
        detail = 'No user has this email address or phone number.';
    end if;
  end if;
  return ledger.move_between_wallets(sender, target, amount, 'user:' || sender::text, idempotency_key,
    nullif(btrim(note), ''));
end $$;
