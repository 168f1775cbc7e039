%% The array module (fixed/extensible, sparse, folds) and the math module.
-module(stdlib_array_math).
-export([main/0, id/1]).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

b(X) when is_float(X) -> <<B:64>> = <<X/float>>, {X, B};
b(X) -> X.

main() ->
    A = array:from_list(lists:seq(10, 100, 10)),
    d({array, array:size(A), array:get(3, A), array:to_list(array:set(3, x, A)), array:is_array(A), array:default(A),
       array:to_list(array:map(fun(I, V) -> I + V end, A)), array:foldl(fun(_, V, Acc) -> V + Acc end, 0, A),
       array:foldr(fun(I, _, Acc) -> [I | Acc] end, [], A), array:get(50, A), array:size(array:set(50, y, A))}),
    S = array:set(1000, last, array:set(5, five, array:new())),
    d({sparse, array:size(S), array:sparse_to_orddict(S), array:sparse_size(S), array:get(6, S),
       array:sparse_foldl(fun(I, V, Acc) -> [{I, V} | Acc] end, [], S), length(array:to_list(S))}),
    F = array:new(5, [{fixed, true}, {default, 0}]),
    d({fixed, array:to_list(F), array:is_fix(F), t(fun() -> array:set(5, x, F) end), array:to_list(array:set(4, x, F)),
       array:size(array:relax(F)), array:to_orddict(array:resize(3, F))}),
    Big = lists:foldl(fun(I, Acc) -> array:set(I, I * I, Acc) end, array:new(), lists:seq(0, 99999)),
    d({big, array:size(Big), array:get(77777, Big), array:foldl(fun(_, V, Acc) -> (Acc + V) rem 1000000007 end, 0, Big)}),
    d({raw, array:from_list([a, b, c])}),
    d({math, [b(X) || X <- [math:pi(), math:sqrt(id(10)), math:pow(id(2), 100),
                            math:exp(id(10)), math:log(id(2)), math:log2(id(3)), math:log10(id(2)), math:sin(id(3)), math:cos(id(3)),
                            math:atan2(id(-1), id(-1)), math:fmod(id(-7.5), 2), math:ceil(id(1.1)), math:floor(id(-1.1))]]}),
    ok.
