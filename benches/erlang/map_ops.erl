%% Map build and lookup with 100k integer keys: inserts, lookups (hits and
%% misses), updates with :=, folds, deletes.
-module(map_ops).
-export([main/0, run/1]).

main() -> run(100000).

run(N) ->
    R = [one_round(N) || _ <- lists:seq(1, 3)],
    erlang:display({map_ops, N, hd(R)}).

one_round(N) ->
    M = build(0, N, #{}),
    Hits = lookup(0, N, M, 0),
    Misses = lookup(N, 2 * N, M, 0),
    M2 = update(0, N, M),
    Sum = maps:fold(fun(_, V, Acc) -> Acc + V end, 0, M2),
    M3 = delete(0, N div 2, M2),
    {map_size(M), Hits, Misses, Sum, map_size(M3)}.

key(I) -> (I * 2654435761) band 16#FFFFFFF.

build(N, N, M) -> M;
build(I, N, M) -> build(I + 1, N, M#{key(I) => I}).

lookup(N, N, _, Acc) -> Acc;
lookup(I, N, M, Acc) ->
    K = key(I),
    case M of
        #{K := V} -> lookup(I + 1, N, M, Acc + V);
        _ -> lookup(I + 1, N, M, Acc)
    end.

update(N, N, M) -> M;
update(I, N, M) ->
    K = key(I),
    #{K := V} = M,
    update(I + 1, N, M#{K := V * 2}).

delete(N, N, M) -> M;
delete(I, N, M) -> delete(I + 1, N, maps:remove(key(I), M)).
