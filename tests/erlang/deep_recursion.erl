%% Deep non-tail recursion (a million frames and more): stack growth,
%% exceptions unwinding a deep stack, deep data structures.
-module(deep_recursion).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

sum([]) -> 0;
sum([H | T]) -> H + sum(T).

map(_, []) -> [];
map(F, [H | T]) -> [F(H) | map(F, T)].

count(0) -> 0;
count(N) -> 1 + count(N - 1).

%% more live values per frame
count3(0, A, B) -> {A, B};
count3(N, A, B) ->
    {X, Y} = count3(N - 1, A + 1, B),
    {X + 0, Y + N rem 3}.

even(0) -> true;
even(N) -> not odd(N - 1).
odd(0) -> false;
odd(N) -> not even(N - 1).

nest(0) -> leaf;
nest(N) -> {node, N, nest(N - 1)}.

depth(leaf) -> 0;
depth({node, _, T}) -> 1 + depth(T).

nest_list(0) -> [];
nest_list(N) -> [nest_list(N - 1)].

throw_at_bottom(0) -> throw(bottom);
throw_at_bottom(N) -> [N | throw_at_bottom(N - 1)].

catch_at_each(0) -> 0;
catch_at_each(N) ->
    try 1 + catch_at_each(N - 1) catch throw:X -> X end.

append(0) -> [];
append(N) -> [N] ++ append(N - 1).

ackermann(0, N) -> N + 1;
ackermann(M, 0) -> ackermann(M - 1, 1);
ackermann(M, N) -> ackermann(M - 1, ackermann(M, N - 1)).

main() ->
    N = id(1000000),
    L = lists:seq(1, N),
    d({sum, sum(L)}),
    d({map, lists:sum(map(fun(X) -> X * 2 end, L))}),
    d({count, count(N)}),
    d({count_2m, count(2 * N)}),
    d({count3, count3(N, 0, 0)}),
    d({even_odd, even(N), odd(N + 1), even(N + 1)}),
    T = nest(N),
    d({nest_depth, depth(T)}),
    d({nest_list, length(lists:flatten(nest_list(id(100000))))}),
    d({deep_equal, nest(id(200000)) =:= nest(id(200000)), nest_list(id(100000)) == nest_list(id(100000))}),
    d({throw_unwind, try throw_at_bottom(N) catch throw:R -> {caught, R} end}),
    d({catch_each, catch_at_each(id(100000))}),
    d({foldr, lists:foldr(fun(X, Acc) -> X + Acc end, 0, L)}),
    d({append, length(append(id(100000)))}),
    d({ackermann, ackermann(2, 3), ackermann(3, id(6))}),
    d({term_to_binary_deep, byte_size(term_to_binary(nest(id(100000))))}),
    d({repeat, [count(id(300000)) || _ <- lists:seq(1, 5)]}),
    ok.
