%% Standard term order across all types, ==/=:= between integers and floats,
%% sorting of mixed lists, comparisons of nested structures and maps.
-module(term_order).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

kinds() ->
    Ref = make_ref(),
    Fun = fun() -> ok end,
    Port = list_to_port("#Port<0.1>"),
    Pid = self(),
    [{number, 1}, {atom, a}, {reference, Ref}, {function, Fun}, {port, Port}, {pid, Pid},
     {tuple, {}}, {map, #{}}, {nil, []}, {list, [1]}, {bitstring, <<>>}].

main() ->
    Ks = kinds(),
    %% the order of the types (only type names are displayed)
    d({type_order, [N || {N, _} <- lists:sort(fun({_, A}, {_, B}) -> A =< B end, lists:reverse(Ks))]}),
    d({pairwise, [{N1, N2, V1 < V2} || {N1, V1} <- Ks, {N2, V2} <- Ks]}),
    Terms = [3, 1.0, 1, -2, 2.5, b, a, aa, 'B', {}, {1}, {1, 2}, {0, 0, 0}, {a, b}, {a, a},
             [], [1], [1, 2], [0, 3], [a | b], "abc", "abd", "ab", <<>>, <<1>>, <<0, 1>>, <<1:1>>,
             <<1:2>>, <<255>>, #{}, #{a => 1}, #{b => 0}, #{a => 2}, #{1 => x}, #{1.0 => x},
             #{a => 1, b => 2}, 1 bsl 70, -(1 bsl 70), 1.0e30, -1.0e30, 0, 0.0, -0.0],
    d({sorted, lists:sort(id(Terms))}),
    d({rsorted, lists:reverse(lists:sort(id(Terms)))}),
    d({usorted, lists:usort(id(Terms))}),
    d({num_eq, [{X, Y, X == Y, X =:= Y, X < Y} || X <- [1, 1.0, 0, 0.0, -0.0, 1 bsl 64, 18446744073709551616.0],
                                                 Y <- [1, 1.0, 0.0, 1 bsl 64, 18446744073709551616.0]]}),
    d({tuples, {1, 2} < {1, 2, 0}, {2} < {1, 1}, {1, b} > {1, a}, {1.0, a} == {1, a}, {1.0, a} =:= {1, a}}),
    d({lists, [1, 2] < [1, 2, 3], [2] > [1, 5], [] < [0], "b" > "abc", [1 | 2] < [1, 2], [1 | 2] > [1 | 1]}),
    d({bins, <<1, 2>> < <<1, 2, 3>>, <<2>> > <<1, 255>>, <<1:1>> < <<1>>, <<128>> > <<1:1>>, <<0:1>> < <<0:2>>}),
    d({maps_cmp, #{a => 1} < #{a => 1, b => 1}, #{b => 1} > #{a => 1}, #{a => 2} > #{a => 1},
       #{1 => a} < #{1.0 => a}, #{1 => a} == #{1.0 => a}, #{a => 1} == #{a => 1.0}, #{a => 1} =:= #{a => 1.0},
       #{1 => a, 2 => b} < #{1 => b, 2 => a}}),
    d({atoms, a < b, 'Z' < a, aa > a, '' < a, 'é' > z}),
    d({nested, [{a, [1, {2, <<3>>}]}, {a, [1, {2, <<4>>}]}] < [{a, [1, {2, <<3>>}]}, {a, [1, {2, <<4>>}, x]}]}),
    d({max_min, max(id(a), id({})), min(id([]), id(<<>>)), max(id(1.0), id(1)), max(id(1), id(1.0)),
       min(id(1.0), id(1)), min(id(1), id(1.0))}),
    d({keysort, lists:keysort(2, [{x, 3}, {y, 1.0}, {z, 1}, {w, a}, {v, 1}])}),
    d({compare_self, [X =:= X || X <- Terms], [X == id(X) || X <- Terms]}),
    d({sort_funs, lists:sort(fun(A, B) -> A >= B end, [5, 3.0, 3, 1, a, [], {}])}),
    d({equal_across, 2 == 2.0, 2 =:= 2.0, 2 /= 2.0, 2 =/= 2.0, [2] == [2.0], {2} =/= {2.0}}),
    ok.
