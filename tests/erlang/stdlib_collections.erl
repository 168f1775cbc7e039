%% gb_trees, gb_sets, sets (v1 and v2), ordsets, dict, orddict, queue,
%% proplists.
-module(stdlib_collections).
-export([main/0, id/1]).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

keys() -> [(I * 37) rem 101 || I <- lists:seq(1, 60)].

main() ->
    gb_trees_test(),
    gb_sets_test(),
    sets_test(),
    ordsets_test(),
    dict_test(),
    orddict_test(),
    queue_test(),
    proplists_test(),
    ok.

gb_trees_test() ->
    T = lists:foldl(fun(K, Acc) -> gb_trees:enter(K, K * K, Acc) end, gb_trees:empty(), keys()),
    d({gb_trees, gb_trees:size(T), gb_trees:lookup(37, T), gb_trees:lookup(1000, T), gb_trees:get(74, T),
       gb_trees:is_defined(5, T), gb_trees:smallest(T), gb_trees:largest(T), lists:sublist(gb_trees:keys(T), 10),
       lists:sum(gb_trees:values(T))}),
    T2 = gb_trees:delete(37, gb_trees:update(74, updated, T)),
    d({gb_trees_mod, gb_trees:size(T2), gb_trees:lookup(37, T2), gb_trees:get(74, T2), gb_trees:delete_any(9999, T2) =:= T2,
       t(fun() -> gb_trees:insert(74, x, T2) end), t(fun() -> gb_trees:get(37, T2) end)}),
    {K1, V1, T3} = gb_trees:take_smallest(T),
    {K2, V2, _} = gb_trees:take_largest(T3),
    d({gb_trees_take, K1, V1, K2, V2, gb_trees:take(10, T3) =/= error}),
    It = gb_trees:iterator_from(50, T),
    {A, _, It2} = gb_trees:next(It),
    {B, _, _} = gb_trees:next(It2),
    d({gb_trees_iter, A, B, gb_trees:to_list(gb_trees:from_orddict([{1, a}, {2, b}]))}),
    d({gb_trees_map, gb_trees:to_list(gb_trees:map(fun(K, _) -> -K end, gb_trees:from_orddict([{1, a}, {2, b}, {3, c}]))),
       gb_trees:to_list(gb_trees:balance(T)) =:= gb_trees:to_list(T)}),
    d({gb_trees_raw, gb_trees:from_orddict([{I, I} || I <- lists:seq(1, 7)])}).

gb_sets_test() ->
    S = gb_sets:from_list(keys()),
    S2 = gb_sets:from_list(lists:seq(1, 30)),
    d({gb_sets, gb_sets:size(S), gb_sets:is_member(37, S), gb_sets:is_element(1000, S), gb_sets:smallest(S), gb_sets:largest(S),
       gb_sets:to_list(gb_sets:intersection(S, S2)), gb_sets:size(gb_sets:union(S, S2)), gb_sets:to_list(gb_sets:subtract(S2, S)),
       gb_sets:is_subset(gb_sets:from_list([1, 2]), S2), gb_sets:to_list(gb_sets:filter(fun(X) -> X > 95 end, S)),
       gb_sets:fold(fun(X, Acc) -> X + Acc end, 0, S), gb_sets:to_list(gb_sets:add(7, gb_sets:del_element(2, gb_sets:from_list([1, 2, 3])))),
       gb_sets:next(gb_sets:iterator_from(40, S))}).

sets_test() ->
    S1 = sets:from_list(keys()),
    S2 = sets:from_list(lists:seq(1, 30)),
    d({sets_v1, sets:size(S1), sets:is_element(37, S1), lists:sort(sets:to_list(sets:intersection(S1, S2))),
       sets:size(sets:union(S1, S2)), lists:sort(sets:to_list(sets:subtract(S2, S1))), sets:is_subset(sets:from_list([1]), S2),
       sets:is_disjoint(S1, sets:from_list([1000])), sets:fold(fun(X, A) -> X + A end, 0, S1), sets:is_set(S1), sets:is_empty(sets:new())}),
    V1 = sets:from_list(keys(), [{version, 2}]),
    V2 = sets:from_list(lists:seq(1, 30), [{version, 2}]),
    d({sets_v2, sets:size(V1), sets:is_element(37, V1), lists:sort(sets:to_list(sets:intersection(V1, V2))),
       sets:size(sets:union(V1, V2)), lists:sort(sets:to_list(sets:filter(fun(X) -> X < 5 end, V1))),
       sets:to_list(sets:add_element(x, sets:new([{version, 2}]))), sets:del_element(1, sets:from_list([1, 2], [{version, 2}]))}),
    d({sets_v1_raw, sets:from_list([1, 2, 3])}).

ordsets_test() ->
    A = ordsets:from_list([5, 1, 3, 1, 9]),
    B = ordsets:from_list([3, 4, 5]),
    d({ordsets, A, ordsets:union(A, B), ordsets:intersection(A, B), ordsets:subtract(A, B), ordsets:add_element(2, A),
       ordsets:del_element(5, A), ordsets:is_element(9, A), ordsets:is_subset([1, 3], A), ordsets:union([A, B, [0]]),
       ordsets:intersection([A, B, [5]]), ordsets:is_disjoint(A, [2]), ordsets:fold(fun(X, Acc) -> [X | Acc] end, [], A)}).

dict_test() ->
    D = lists:foldl(fun(K, Acc) -> dict:store(K, K + 1, Acc) end, dict:new(), keys()),
    D2 = dict:append(list, a, dict:append(list, b, dict:new())),
    d({dict, dict:size(D), dict:find(37, D), dict:find(1000, D), dict:fetch(74, D), dict:is_key(5, D),
       lists:sort(dict:to_list(dict:filter(fun(K, _) -> K < 5 end, D))), dict:fold(fun(_, V, A) -> V + A end, 0, D),
       dict:to_list(D2), lists:sort(dict:fetch_keys(dict:from_list([{b, 1}, {a, 2}]))),
       dict:to_list(dict:update_counter(c, 5, dict:from_list([{c, 1}]))), dict:to_list(dict:update(k, fun(V) -> V * 2 end, 0, dict:new())),
       lists:sort(dict:to_list(dict:merge(fun(_, X, Y) -> X + Y end, dict:from_list([{a, 1}, {b, 2}]), dict:from_list([{b, 3}])))),
       t(fun() -> dict:fetch(missing, D) end), dict:to_list(dict:erase(37, dict:from_list([{37, x}, {38, y}])))}),
    d({dict_order, dict:to_list(dict:from_list([{I, I} || I <- lists:seq(1, 20)]))}).

orddict_test() ->
    O = orddict:from_list([{c, 3}, {a, 1}, {b, 2}, {a, 0}]),
    d({orddict, O, orddict:store(d, 4, O), orddict:find(a, O), orddict:fetch(b, O), orddict:erase(a, O), orddict:append(l, x, O),
       orddict:update_counter(a, 10, O), orddict:merge(fun(_, X, Y) -> {X, Y} end, O, [{b, 20}, {z, 26}]), orddict:fetch_keys(O),
       orddict:map(fun(_, V) -> V * 100 end, O), orddict:filter(fun(K, _) -> K =/= b end, O), orddict:size(O), orddict:take(c, O)}).

queue_test() ->
    Q = lists:foldl(fun queue:in/2, queue:new(), lists:seq(1, 10)),
    {{value, H}, Q2} = queue:out(Q),
    {{value, R}, Q3} = queue:out_r(Q2),
    d({queue, queue:len(Q), queue:to_list(Q), H, R, queue:to_list(Q3), queue:peek(Q), queue:peek_r(Q), queue:is_empty(queue:new()),
       queue:to_list(queue:in_r(0, Q)), queue:to_list(queue:reverse(Q)), queue:to_list(queue:join(Q, queue:from_list([a, b]))),
       queue:member(5, Q), queue:to_list(queue:filter(fun(X) -> X rem 2 =:= 0 end, Q)), queue:split(3, Q) =/= x,
       queue:out(queue:new()), queue:head(Q), queue:last(Q), queue:to_list(queue:drop(Q)), queue:to_list(queue:drop_r(Q)),
       queue:get(Q), queue:get_r(Q), queue:fold(fun(X, A) -> X + A end, 0, Q), queue:any(fun(X) -> X > 9 end, Q),
       queue:all(fun(X) -> X > 0 end, Q), t(fun() -> queue:head(queue:new()) end)}),
    d({queue_raw, Q, Q3}),
    Big = lists:foldl(fun(I, Acc) -> queue:in(I, Acc) end, queue:new(), lists:seq(1, 100000)),
    d({queue_big, drain(Big, 0)}).

drain(Q, Acc) ->
    case queue:out(Q) of
        {{value, V}, Q2} -> drain(Q2, Acc + V);
        {empty, _} -> Acc
    end.

proplists_test() ->
    P = [{a, 1}, b, {c, 3}, {a, 2}, {d, [x]}, c, {e}],
    d({proplists, proplists:get_value(a, P), proplists:get_value(z, P), proplists:get_value(z, P, dflt), proplists:get_all_values(a, P),
       proplists:get_bool(b, P), proplists:get_bool(c, P), proplists:lookup(c, P), proplists:lookup_all(a, P), proplists:is_defined(e, P),
       proplists:delete(a, P), proplists:get_keys(P), proplists:append_values(d, P), proplists:compact([{a, true}, b]),
       proplists:unfold([a, {b, 1}]), proplists:substitute_aliases([{b, bb}], P), proplists:expand([{b, [q, r]}], [a, b]),
       proplists:normalize([a, {b, true}, {c, 1}], [{aliases, [{c, cc}]}]), proplists:split(P, [a, c]),
       proplists:to_map([{a, 1}, b, {a, 2}]), proplists:from_map(#{k => v})}).
