-- Purpose: tickets.search_ids, the indexed search the store's lists use. Under RLS Postgres may not use an
--          index for a condition whose operator is not leakproof (tsvector @@ and LIKE are not), so a search
--          run as the user walks the whole table (≈ 0.8 s at 100k tickets). This SECURITY DEFINER function
--          searches as the owner, where the tsvector and trigram indexes apply, and applies the same visibility
--          rule as the tickets policy itself (the caller's own tickets, or every ticket with tickets.manage).
--          tickets.search (SECURITY INVOKER) now reads through it as well.
-- Access: authenticated and service_role; answers only ids of tickets the caller may read anyway.
-- Risk: low; read-only. The visibility rule is duplicated from the RLS policy on public.tickets: a change to
--       one must change the other (supabase/tests/51_tickets_stranger_test.sql checks search as a stranger).

/**
 * Ids of the tickets matching `query` (every word by full text, or the whole phrase as a substring via the
 * trigram index) that the caller may see, newest first, below `before_id` when given; at most
 * `max_results` (1–5000).
 */
create function tickets.search_ids(query text, before_id bigint default null, max_results integer default 1000)
returns setof bigint
language sql stable security definer set search_path = '' as $$
  select t.id from public.tickets t
  where (t.search_tsv @@ plainto_tsquery('simple'::regconfig, tickets.normalize_search(search_ids.query))
         or t.search_text like '%' || replace(replace(replace(tickets.normalize_search(search_ids.query),
              '\', '\\'), '%', '\%'), '_', '\_') || '%')
    and (t.customer_id = (select auth.uid()) or (select public.authorize('tickets.manage')))
    and (search_ids.before_id is null or t.id < search_ids.before_id)
  -- Not the primary key's order: a rare term's estimate is too high and a backward walk of the key would win.
  order by t.id + 0 desc
  limit least(greatest(coalesce(search_ids.max_results, 1000), 1), 5000)
$$;
comment on function tickets.search_ids(text, bigint, integer) is
  'Ids of visible tickets matching a Persian-correct search, newest first (indexed; the tickets RLS rule applied inside).';
revoke execute on function tickets.search_ids(text, bigint, integer) from public, anon;
grant execute on function tickets.search_ids(text, bigint, integer) to authenticated, service_role;

create or replace function tickets.search(query text, max_results integer default 50)
returns setof public.tickets
language sql stable security invoker set search_path = '' as $$
  select t.* from public.tickets t
  where t.id in (select tickets.search_ids(search.query, null, least(greatest(search.max_results, 1), 200)))
  order by t.id desc
$$;
