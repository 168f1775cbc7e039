%% Large (hashed, > 32 keys) maps with integer, tuple, binary and string
%% keys. Iteration order of large maps depends on the internal hash and the
%% HAMT layout, so maps:to_list/keys of them and their erlang:display are
%% checks of hash/HAMT compatibility with ERTS. Atoms are kept out of the
%% keys of large maps: their hash (and so the order) changes between runs.
-module(maps_large).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

build(N) -> build(1, N, #{}).
build(I, N, M) when I > N -> M;
build(I, N, M) -> build(I + 1, N, M#{I => I * 2}).

sum_lookup(M, N) -> sum_lookup(M, 1, N, 0).
sum_lookup(_, I, N, Acc) when I > N -> Acc;
sum_lookup(M, I, N, Acc) ->
    #{I := V} = M,
    sum_lookup(M, I + 1, N, Acc + V).

main() ->
    M33 = maps:from_list([{I, I} || I <- lists:seq(1, 33)]),
    d({m33_size, map_size(M33)}),
    d({m33_list, maps:to_list(id(M33))}),
    d({m33_display, M33}),
    M40 = maps:from_list([{I * 7919, I} || I <- lists:seq(1, 40)]),
    d({m40_keys, maps:keys(id(M40))}),
    d({m40_values, maps:values(id(M40))}),
    d({fold_order, maps:fold(fun(K, _, Acc) -> [K | Acc] end, [], id(M40))}),
    d({iter_order, iter(maps:iterator(id(M40)), 5)}),
    Big = build(id(100000)),
    d({big_size, map_size(Big)}),
    d({big_sum, sum_lookup(Big, 100000)}),
    d({big_fold, maps:fold(fun(K, V, {SK, SV}) -> {SK + K, SV + V} end, {0, 0}, Big)}),
    d({big_get, maps:get(50000, Big), maps:find(100001, Big), maps:is_key(99999, Big)}),
    Big2 = maps:map(fun(_, V) -> V + 1 end, Big),
    d({big_map, maps:get(1, Big2), maps:get(100000, Big2)}),
    Big3 = maps:filter(fun(K, _) -> K rem 1000 =:= 0 end, Big),
    d({big_filter, map_size(Big3), lists:sort(maps:to_list(Big3))}),
    d({big_filter_order, maps:keys(Big3)}),
    Removed = lists:foldl(fun(K, M) -> maps:remove(K, M) end, Big, lists:seq(1, 99990)),
    d({shrink, map_size(Removed), Removed}),
    d({shrink_flat, maps:remove(99991, maps:remove(99992, Removed))}),
    %% different insertion orders give equal maps
    Fwd = maps:from_list([{I, x} || I <- lists:seq(1, 1000)]),
    Bwd = lists:foldl(fun(I, M) -> M#{I => x} end, #{}, lists:seq(1000, 1, -1)),
    d({equal, Fwd =:= Bwd, Fwd == Bwd, maps:keys(Fwd) =:= maps:keys(Bwd), erlang:phash2(Fwd) =:= erlang:phash2(Bwd)}),
    %% composite keys
    TK = maps:from_list([{{I, [I], <<I:16>>}, I} || I <- lists:seq(1, 50)]),
    d({tuple_keys, maps:keys(TK)}),
    d({tuple_get, maps:get({25, [25], <<25:16>>}, TK), maps:find({25, [25], <<26:16>>}, TK)}),
    BK = maps:from_list([{integer_to_binary(I), I} || I <- lists:seq(1, 40)]),
    d({binary_keys, maps:to_list(BK)}),
    SK = maps:from_list([{integer_to_list(I), I} || I <- lists:seq(1, 40)]),
    d({string_keys, maps:keys(SK)}),
    FK = maps:from_list([{I / 2, I} || I <- lists:seq(1, 40)] ++ [{I, int} || I <- lists:seq(1, 5)]),
    d({float_keys, maps:to_list(FK)}),
    MixK = maps:from_list([{K, 1} || K <- [1, 2.0, "s", <<"b">>, {7}, [8], #{}, #{1 => 2}]] ++ [{I, I} || I <- lists:seq(100, 130)]),
    d({mixed_keys, maps:keys(MixK)}),
    %% updates on a large map with := and =>
    U = (id(M40))#{7919 := updated, new_key => 1},
    d({update_large, maps:get(7919, U), maps:get(new_key, U), map_size(U), ?T((id(M40))#{missing := 1})}),
    %% matching on a large map
    d({match_large, case id(M40) of #{15838 := V2, 7919 := V1} -> {V1, V2}; _ -> nomatch end}),
    %% maps inside maps, large maps as keys
    Nest = #{M33 => first, Fwd => second},
    d({map_keys, maps:get(M33, Nest), maps:get(Bwd, Nest)}),
    d({merge, map_size(maps:merge(Fwd, Big)), maps:get(1, maps:merge(Fwd, Big)), maps:get(1, maps:merge(Big, Fwd))}),
    d({hashes, erlang:phash2(M33), erlang:phash2(M40), erlang:phash2(Big), erlang:phash2(TK, 1 bsl 32)}),
    d({etf, erlang:md5(term_to_binary(M40)), binary_to_term(term_to_binary(M40)) =:= M40,
       binary_to_term(term_to_binary(Big)) =:= Big}),
    d({compare, M33 < M40, M40 < Big, maps:remove(1, M33) < M33}),
    d({sorted_values, lists:sum(maps:values(Big)), length(lists:usort(maps:values(Big)))}),
    d({from_keys, map_size(maps:from_keys(lists:seq(1, 5000), 0))}),
    ok.

iter(_, 0) -> [];
iter(It, N) ->
    case maps:next(It) of
        none -> [];
        {K, V, It2} -> [{K, V} | iter(It2, N - 1)]
    end.
