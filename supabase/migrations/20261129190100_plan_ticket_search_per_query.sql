-- Purpose: tickets.search_ids plans each search with its own words. As a SQL function its body was planned
--          with the query as an unknown parameter, and the planner then weighed the full-text and trigram
--          indexes against a sequential scan of every ticket without knowing the term; at 100k tickets it
--          sometimes chose the scan (seconds instead of milliseconds). PL/pgSQL with a forced custom plan
--          plans every call with the actual search text, and one branch per index (full text, trigram)
--          keeps each condition on its own index.
-- Access: unchanged (authenticated and service_role).
-- Risk: low; same body, same visibility rule (the tickets RLS rule, applied inside).

create or replace function tickets.search_ids(query text, before_id bigint default null, max_results integer default 1000)
returns setof bigint
language plpgsql stable security definer set search_path = '' set plan_cache_mode = force_custom_plan as $$
declare
  normalized text := tickets.normalize_search(query);
  words tsquery := plainto_tsquery('simple'::regconfig, normalized);
  phrase text := '%' || replace(replace(replace(normalized, '\', '\\'), '%', '\%'), '_', '\_') || '%';
begin
  -- One branch per index (the planner costs an OR of two GIN conditions poorly and may scan every ticket).
  return query
    select m.id from (
      select t.id, t.customer_id from public.tickets t where t.search_tsv @@ words
      union
      select t.id, t.customer_id from public.tickets t where t.search_text like phrase
    ) m
    where (m.customer_id = (select auth.uid()) or (select public.authorize('tickets.manage')))
      and (before_id is null or m.id < before_id)
    order by m.id desc
    limit least(greatest(coalesce(max_results, 1000), 1), 5000);
end $$;
