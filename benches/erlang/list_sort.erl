%% lists:sort of one million pseudo-random integers (plus a reverse sort with
%% a fun and a usort): merge sort in Erlang, list allocation, GC.
-module(list_sort).
-export([main/0, run/1]).

main() -> run(1000000).

run(N) ->
    L = random_list(N, 42, []),
    S = lists:sort(L),
    R = lists:sort(fun(A, B) -> A >= B end, lists:sublist(L, N div 4)),
    U = lists:usort(L),
    erlang:display({list_sort, N, hd(S), lists:last(S), lists:nth(N div 2, S), hd(R), length(U)}).

random_list(0, _, Acc) -> Acc;
random_list(N, X, Acc) ->
    X1 = (X * 1103515245 + 12345) band 16#7FFFFFFF,
    random_list(N - 1, X1, [X1 | Acc]).
