%% Small (flat, <= 32 keys) maps: literals, construction, update with => and
%% :=, matching in heads and cases, guards, maps module, errors.
-module(maps_small).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

get_ab(#{a := A, b := B}) -> {A, B};
get_ab(#{a := A}) -> {only_a, A};
get_ab(#{}) -> other_map;
get_ab(_) -> not_a_map.

has_a(#{a := _}) -> true;
has_a(_) -> false.

update(M) -> M#{a := 10, b => 20}.
update_exact(M) -> M#{a := 1, b := 2}.
assoc(M, K, V) -> M#{K => V}.

point(#{x := X, y := Y} = P) when X > 0 -> P#{dist => X * X + Y * Y};
point(P) -> P#{dist => undefined}.

in_guard(M) when map_get(k, M) > 5 -> big;
in_guard(M) when is_map_key(k, M) -> small;
in_guard(M) when is_map(M), map_size(M) > 2 -> large_map;
in_guard(_) -> none.

counter(Words) ->
    lists:foldl(fun(W, Acc) ->
                        case Acc of
                            #{W := N} -> Acc#{W := N + 1};
                            #{} -> Acc#{W => 1}
                        end
                end, #{}, Words).

main() ->
    M0 = #{},
    M1 = #{a => 1, b => 2, c => 3},
    d({literals, M0, M1, #{1 => one, "two" => 2, {3} => [3], <<"4">> => 4.0, [] => nil, 2.0 => float_key}}),
    d({keys_order, #{z => 1, a => 2, m => 3, 1 => int, 1.0 => flt, "s" => str, {t} => tup, <<"b">> => bin}}),
    d({match, [get_ab(id(M)) || M <- [M1, #{a => x}, #{b => y}, #{}, [], #{a => 1, b => 2}]]}),
    d({has_a, [has_a(id(M)) || M <- [M1, #{}, #{b => 1}, x]]}),
    d({update, update(id(M1)), ?T(update(id(#{b => 1}))), update_exact(id(M1)), ?T(update_exact(id(#{a => 0})))}),
    d({assoc, assoc(id(M1), d, 4), assoc(id(M1), a, new), assoc(id(M1), 1, 1.0), assoc(id(#{1 => a}), 1.0, b)}),
    d({point, point(id(#{x => 3, y => 4})), point(id(#{x => -1, y => 4})), point(id(#{q => 1}))}),
    d({in_guard, [in_guard(id(M)) || M <- [#{k => 10}, #{k => 1}, #{a => 1, b => 2, c => 3}, #{}, not_map, #{k => a}]]}),
    d({size, map_size(id(M1)), map_size(id(#{})), ?T(map_size(id(x)))}),
    d({get, maps:get(a, id(M1)), maps:get(z, id(M1), default), ?T(maps:get(z, id(M1))), ?T(maps:get(a, id(x))),
       map_get(b, id(M1)), ?T(map_get(q, id(M1)))}),
    d({find, maps:find(a, id(M1)), maps:find(z, id(M1))}),
    d({is_key, maps:is_key(a, id(M1)), is_map_key(z, id(M1)), ?T(is_map_key(a, id(1)))}),
    d({put_remove, maps:put(d, 4, id(M1)), maps:remove(a, id(M1)), maps:remove(z, id(M1)), maps:take(b, id(M1)), maps:take(z, id(M1))}),
    d({update_fun, maps:update(a, 100, id(M1)), ?T(maps:update(z, 1, id(M1))),
       maps:update_with(a, fun(V) -> V * 2 end, id(M1)), maps:update_with(z, fun(V) -> V end, 0, id(M1))}),
    d({keys_values, maps:keys(id(M1)), maps:values(id(M1)), maps:to_list(id(M1)), maps:from_list([{b, 1}, {a, 2}, {b, 3}])}),
    d({higher, maps:map(fun(K, V) -> {K, V * 10} end, id(M1)), maps:filter(fun(_, V) -> V > 1 end, id(M1)),
       maps:fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], id(M1)), maps:filtermap(fun(a, _) -> false; (_, V) -> {true, -V} end, id(M1))}),
    d({merge, maps:merge(id(M1), #{c => 30, d => 40}), maps:merge_with(fun(_, A, B) -> A + B end, id(M1), #{a => 5, z => 0})}),
    d({with, maps:with([a, c, q], id(M1)), maps:without([a, q], id(M1)), maps:from_keys([x, y], 0), maps:groups_from_list(fun(X) -> X rem 3 end, lists:seq(1, 10))}),
    d({iterator, maps:next(maps:iterator(id(#{k => v}))), maps:intersect(id(M1), #{a => 0, z => 0})}),
    d({counter, counter(id(["a", "b", "a", "c", "b", "a"]))}),
    d({nested, (id(#{inner => #{x => 1}}))#{inner := #{x => 2, y => 3}}, maps:get(x, maps:get(inner, id(#{inner => #{x => 1}})))}),
    d({eq, #{a => 1} =:= #{a => 1}, #{a => 1} == #{a => 1.0}, #{a => 1} =:= #{a => 1.0}, #{1 => a} == #{1.0 => a}}),
    d({errors, ?T((id(not_a_map))#{a => 1}), ?T((id(not_a_map))#{a := 1}), ?T(maps:put(a, 1, id([]))),
       ?T(begin #{a := X} = id(#{b => 1}), X end)}),
    d({many_updates, lists:foldl(fun(I, M) -> M#{I rem 7 => I} end, #{}, lists:seq(1, 100))}),
    d({exactly_32, maps:from_list([{I, I * I} || I <- lists:seq(1, 32)])}),
    d({variable_keys, (fun(K1, K2) -> #{K1 => 1, K2 => 2} end)(id(x), id(x)), (fun(K) -> #{K => 1, a => 2} end)(id(a))}),
    ok.
