-- Issue 13, top-ups round 3: payments.create_pending's budget check (at most 10 pending payments per user
-- in the last hour) read every payment the user ever made. Its count had only payments_user_id_idx
-- (user_id, id desc) to go by, so it fetched each of the user's payments from the heap to test status and
-- created_at: a cost that grows with the user's history (0.1 ms per top-up after 265 top-ups each in the
-- bench, and without bound for a frequent payer). This partial index holds only pending rows, which
-- settle, close and reconcile move out of 'pending' within the authority's lifetime: the count reads the
-- user's open payments and nothing else. Same query, same rule, same lock (the per-user advisory lock in
-- create_pending), so the check cannot be raced past any more than before.
create index payments_user_pending_idx on public.payments (user_id, created_at) where status = 'pending';
