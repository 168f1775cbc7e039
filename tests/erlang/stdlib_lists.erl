%% The lists module (and list BIFs/operators: ++, --, length, lists:reverse,
%% lists:member, lists:keyfind ...).
-module(stdlib_lists).
-export([main/0, id/1]).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

main() ->
    L = id([5, 3, 8, 1, 9, 2, 7, 3]),
    KL = id([{b, 2}, {a, 1}, {c, 3}, {a, 4}]),
    d({basic, length(L), lists:reverse(L), lists:sort(L), lists:usort(L), lists:sum(L), lists:max(L), lists:min(L),
       lists:last(L), lists:nth(3, L), lists:nthtail(5, L), lists:sublist(L, 3), lists:sublist(L, 2, 4)}),
    d({ops, L ++ [10], L -- [3, 9, 100], [1, 2, 3, 2, 1] -- [2, 1], [] ++ [], "abc" ++ "def", t(fun() -> id(a) ++ [1] end),
       t(fun() -> [1 | id(b)] ++ [2] end), [1, 2] ++ id(improper_tail)}),
    d({seq, lists:seq(1, 10), lists:seq(10, 1, -3), lists:seq(1, 0), lists:seq(5, 5), t(fun() -> lists:seq(1, -5) end), lists:seq(0, 20, 5)}),
    d({member, lists:member(8, L), lists:member(x, L), lists:member(1.0, [1])}),
    d({append, lists:append([[1], [2, 3], [], [4]]), lists:append("ab", "cd"), lists:concat([a, "b", 1, 2.5, 'c'])}),
    d({flatten, lists:flatten([1, [2, [3, [4]], []], 5]), lists:flatten([[a], b], [c]), lists:flatlength([1, [2, [3]], 4])}),
    d({higher, lists:map(fun(X) -> X * X end, L), lists:filter(fun(X) -> X > 4 end, L), lists:foldl(fun(X, A) -> [X | A] end, [], L),
       lists:foldr(fun(X, A) -> [X | A] end, [], L), lists:all(fun is_integer/1, L), lists:any(fun(X) -> X > 8 end, L),
       lists:mapfoldl(fun(X, A) -> {X + A, A + 1} end, 0, L), lists:mapfoldr(fun(X, A) -> {X * A, A + 1} end, 1, L),
       lists:filtermap(fun(X) when X > 5 -> {true, -X}; (X) -> X =:= 1 end, L), lists:flatmap(fun(X) -> [X, X] end, [1, 2]),
       lists:foreach(fun(X) -> put(last_fe, X) end, L), get(last_fe)}),
    d({zip, lists:zip([1, 2, 3], [a, b, c]), lists:unzip([{1, a}, {2, b}]), lists:zip3([1], [2], [3]), lists:unzip3([{1, 2, 3}, {4, 5, 6}]),
       lists:zipwith(fun(X, Y) -> X + Y end, [1, 2], [10, 20]), lists:zipwith3(fun(X, Y, Z) -> X * Y * Z end, [1, 2], [3, 4], [5, 6]),
       t(fun() -> lists:zip([1], id([])) end)}),
    d({keys, lists:keyfind(a, 1, KL), lists:keyfind(z, 1, KL), lists:keysearch(c, 1, KL), lists:keymember(b, 1, KL),
       lists:keydelete(a, 1, KL), lists:keyreplace(a, 1, KL, {a, 99}), lists:keystore(z, 1, KL, {z, 26}), lists:keytake(c, 1, KL),
       lists:keysort(1, KL), lists:keysort(2, KL), lists:ukeysort(1, KL), lists:keymerge(1, [{a, 1}, {c, 3}], [{b, 2}]),
       lists:keymap(fun(X) -> X * 10 end, 2, KL)}),
    d({sorting, lists:sort(fun(A, B) -> A > B end, L), lists:merge([1, 4, 7], [2, 5, 8]), lists:merge3([1], [3], [2]),
       lists:umerge([1, 2, 3], [2, 3, 4]), lists:merge([[1, 5], [2, 6], [3, 4]]), lists:usort(fun(A, B) -> A >= B end, L),
       lists:sort([{b, 1}, {a, 2}, {b, 0}, "str", <<"bin">>, 3.0, 3, atom])}),
    d({split, lists:split(3, L), lists:splitwith(fun(X) -> X > 2 end, L), lists:partition(fun(X) -> X rem 2 =:= 0 end, L),
       lists:takewhile(fun(X) -> X > 2 end, L), lists:dropwhile(fun(X) -> X > 2 end, L), lists:droplast(L),
       t(fun() -> lists:split(100, L) end)}),
    d({misc, lists:delete(3, L), lists:duplicate(3, x), lists:subtract([1, 2, 3], [2]), lists:prefix([1, 2], [1, 2, 3]),
       lists:suffix([3], [1, 2, 3]), lists:enumerate(L), lists:enumerate(0, [a, b]), lists:search(fun(X) -> X > 6 end, L),
       lists:uniq([3, 1, 3, 2, 1]), lists:uniq(fun(X) -> X rem 3 end, L), lists:join(x, [a, b, c]), lists:sum([1.5, 2]),
       lists:max([1, 2.0, a]), lists:min(["b", "a"]), lists:reverse([])}),
    d({big, begin Big = lists:seq(1, 100000), {lists:sum(Big), length(lists:reverse(Big)), lists:nth(77777, Big),
                                               lists:last(lists:sort(fun(A, B) -> A >= B end, Big)), length(Big -- lists:seq(1, 50000, 2))} end}),
    d({sort_stability, lists:sort(fun({A, _}, {B, _}) -> A =< B end, [{1, a}, {0, b}, {1, c}, {0, d}]),
       lists:keysort(1, [{1, a}, {0, b}, {1, c}, {0, d}])}),
    d({rev_sort_big, lists:sublist(lists:reverse(lists:sort([(I * 7919) rem 10007 || I <- lists:seq(1, 20000)])), 5)}),
    d({errors, t(fun() -> lists:nth(0, L) end), t(fun() -> lists:last([]) end), t(fun() -> lists:max([]) end),
       t(fun() -> length(id([1 | 2])) end), t(fun() -> lists:reverse(id(notalist)) end), t(fun() -> lists:map(x, [1]) end)}),
    ok.
