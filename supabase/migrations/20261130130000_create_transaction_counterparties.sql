-- Purpose: wallet history rows and receipts name the other side of a transfer ("to" or "from" whom). The
--          reader of a statement may see only its own legs (RLS), so this function, for one wallet owner and
--          a list of transaction ids, returns the other wallet's user with the name and handles the app masks
--          before showing them (lib/wallet/counterparties.ts). Only transfers have a counterparty; only
--          transactions with a leg on the owner's wallet are answered.
-- Access: service_role only (it reads auth.users). The app calls it after reading the owner's entries as the
--         user (or as staff with wallet.view), passing the owner it already checked. No ledger function is
--         redefined.
-- Risk: low; read-only.

create function ledger.transaction_counterparties(owner uuid, ids bigint[])
returns table (transaction_id bigint, user_id uuid, full_name text, email text, phone text)
language sql stable security definer set search_path = '' as $$
  select t.id, a.user_id, coalesce(p.full_name, ''), u.email::text,
         case when u.phone_confirmed_at is not null then u.phone::text end
  from ledger.transactions t
  join ledger.entries mine on mine.transaction_id = t.id
  join ledger.accounts me on me.id = mine.account_id and me.user_id = transaction_counterparties.owner
  join ledger.entries theirs on theirs.transaction_id = t.id and theirs.account_id <> mine.account_id
  join ledger.accounts a on a.id = theirs.account_id and a.kind = 'wallet'
  left join auth.users u on u.id = a.user_id
  left join public.profiles p on p.id = a.user_id
  where t.id = any(transaction_counterparties.ids) and t.kind = 'transfer'
$$;
comment on function ledger.transaction_counterparties(uuid, bigint[]) is
  'For the wallet pages (service_role): the other wallet''s user of each transfer among `ids` that has a leg on `owner`''s wallet, with the name, email and verified phone (masked by the app before display).';
revoke execute on function ledger.transaction_counterparties(uuid, bigint[]) from public, anon, authenticated;
grant execute on function ledger.transaction_counterparties(uuid, bigint[]) to service_role;
