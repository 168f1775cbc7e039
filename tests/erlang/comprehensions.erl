%% List and binary comprehensions: several generators, filters, pattern
%% generators that skip non-matching elements, binary generators, nested
%% comprehensions, comprehensions building binaries.
-module(comprehensions).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

pythag(N) ->
    [{A, B, C} || A <- lists:seq(1, N), B <- lists:seq(A, N), C <- lists:seq(B, N), A * A + B * B =:= C * C].

perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].

qsort([]) -> [];
qsort([P | Xs]) -> qsort([X || X <- Xs, X < P]) ++ [P] ++ qsort([X || X <- Xs, X >= P]).

primes(N) -> sieve(lists:seq(2, N)).
sieve([]) -> [];
sieve([P | Xs]) -> [P | sieve([X || X <- Xs, X rem P =/= 0])].

main() ->
    d({simple, [X * 2 || X <- id([1, 2, 3])], [X || X <- id([]), X > 0]}),
    d({filter, [X || X <- id(lists:seq(1, 20)), X rem 3 =:= 0, X rem 2 =:= 0]}),
    d({cartesian, [{X, Y} || X <- id([a, b, c]), Y <- id([1, 2])]}),
    d({dependent, [{X, Y} || X <- id(lists:seq(1, 4)), Y <- lists:seq(X, 4)]}),
    d({pattern_gen, [V || {ok, V} <- id([{ok, 1}, error, {ok, 2}, {error, x}, {ok, 3, extra}, {ok, 4}])]}),
    d({pythag, pythag(id(30))}),
    d({perms, perms(id([1, 2, 3, 4]))}),
    d({qsort, qsort(id([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]))}),
    d({primes, primes(id(200))}),
    d({nested, [[X * Y || Y <- lists:seq(1, X)] || X <- id(lists:seq(1, 5))]}),
    d({bin_gen, [X || <<X:8>> <= id(<<1, 2, 3, 4>>)], [{A, B} || <<A:4, B:4>> <= id(<<16#12, 16#34>>)]}),
    d({bin_gen_filter, [X || <<X:8>> <= id(<<"hello world">>), X =/= $o]}),
    d({bin_gen_tail, [X || <<X:16>> <= id(<<1, 2, 3>>)]}),
    d({bin_compr, << <<(X + 1)>> || <<X>> <= id(<<"HAL">>) >>, << <<X:4>> || X <- id([1, 2, 3, 4, 5]) >>}),
    d({bin_compr_size, byte_size(<< <<X:32>> || X <- id(lists:seq(1, 10000)) >>)}),
    d({bin_compr_from_list, << <<C, C>> || C <- id("abc") >>}),
    d({bin_compr_bits, << <<B:1>> || B <- id([1, 0, 1, 1, 0, 0, 1]) >>}),
    d({bin_compr_filter, << <<X>> || <<X>> <= id(<<1, 2, 3, 4, 5, 6>>), X rem 2 =:= 0 >>}),
    d({bin_compr_var, << <<X:S>> || {X, S} <- id([{1, 1}, {2, 2}, {3, 3}, {300, 12}]) >>}),
    d({mixed_gen, [{X, Y} || X <- id([1, 2]), <<Y>> <= id(<<7, 8>>)]}),
    d({string_compr, [C - 32 || C <- id("hello"), C >= $a, C =< $z]}),
    d({map_gen, lists:sort([{K, V} || {K, V} <- maps:to_list(id(#{a => 1, b => 2, c => 3})), V > 1])}),
    d({big, length([X || X <- lists:seq(1, id(100000)), X rem 7 =:= 0]), lists:sum([X * X || X <- lists:seq(1, id(1000))])}),
    d({side_effect_order, [begin put(k, X), X end || X <- id([1, 2, 3])], get(k)}),
    d({non_boolean_filter, try [X || X <- id([1, 2]), id(maybe_not_bool)] catch C:R -> {C, R} end}),
    ok.
