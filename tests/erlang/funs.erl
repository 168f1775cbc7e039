%% Funs: closures over free variables, local/external fun references,
%% higher-order functions, recursion through funs, fun equality, fun_info,
%% display of funs, and calling with the wrong arity or a non-fun.
-module(funs).
-export([main/0, id/1, ext/1, ext/2]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

ext(X) -> {ext, X}.
ext(X, Y) -> {ext, X, Y}.

adder(N) -> fun(X) -> X + N end.
multi(A, B, C) -> fun(X, Y) -> {A, B, C, X, Y} end.
compose(F, G) -> fun(X) -> F(G(X)) end.
curry(F) -> fun(X) -> fun(Y) -> F(X, Y) end end.

counter_loop(F, 0, Acc) -> F(Acc);
counter_loop(F, N, Acc) -> counter_loop(F, N - 1, Acc + 1).

%% Y combinator style recursion
fix(F) -> fun(X) -> F(fix(F), X) end.

map2(_, []) -> [];
map2(F, [H | T]) -> [F(H) | map2(F, T)].

info(F) ->
    [erlang:fun_info(F, K) || K <- [arity, module, name, type, env]].

main() ->
    A5 = adder(id(5)),
    d({adder, A5(10), (adder(id(-1)))(1), [(adder(N))(N) || N <- [1, 2, 3]]}),
    d({multi, (multi(id(a), id("b"), id(<<"c">>)))(1, 2)}),
    Inc = fun(X) -> X + 1 end,
    Dbl = fun(X) -> X * 2 end,
    d({compose, (compose(Inc, Dbl))(id(5)), (compose(Dbl, Inc))(id(5))}),
    d({curry, ((curry(fun(X, Y) -> X - Y end))(id(10)))(3)}),
    d({ext_refs, (fun ?MODULE:ext/1)(id(1)), (fun ext/2)(id(1), 2), (fun lists:reverse/1)(id([1, 2, 3])),
       apply(fun erlang:'+'/2, [id(1), 2])}),
    M = id(?MODULE), F = id(ext), Ar = id(1),
    d({dynamic_ext, (fun M:F/Ar)(x)}),
    d({lists_funs, lists:map(Inc, id([1, 2, 3])), lists:filter(fun(X) -> X rem 2 =:= 0 end, id(lists:seq(1, 10))),
       lists:foldl(fun(X, Acc) -> X * Acc end, 1, id(lists:seq(1, 10))), map2(Dbl, id([1, 2, 3]))}),
    Fact = fix(fun(_Self, 0) -> 1; (Self, N) -> N * Self(N - 1) end),
    d({fix, Fact(id(20))}),
    d({counter_loop, counter_loop(fun(X) -> {done, X} end, id(100000), 0)}),
    %% closures capturing many variables of different types
    {V1, V2, V3, V4, V5} = id({1, 2.5, "s", <<"b">>, #{k => v}}),
    Big = fun() -> {V1, V2, V3, V4, V5, V1 + V2} end,
    d({many_free, Big()}),
    %% named funs
    Fib = fun Fib(0) -> 0; Fib(1) -> 1; Fib(N) -> Fib(N - 1) + Fib(N - 2) end,
    d({named_fun, Fib(id(20))}),
    Len = fun L([]) -> 0; L([_ | T]) -> 1 + L(T) end,
    d({named_len, Len(id(lists:seq(1, 1000)))}),
    %% funs in data structures
    Ops = [{add, fun erlang:'+'/2}, {sub, fun(X, Y) -> X - Y end}, {mul, fun erlang:'*'/2}],
    d({table, [{Name, Op(id(7), 3)} || {Name, Op} <- Ops]}),
    %% fun equality and ordering
    d({equality, fun lists:map/2 =:= fun lists:map/2, fun ext/1 =:= fun ?MODULE:ext/1, A5 =:= adder(5),
       A5 =:= adder(6), Inc =:= Inc, is_function(Inc), is_function(Inc, 1), is_function(Inc, 2),
       is_function(fun lists:map/2, 2), is_function(id(x))}),
    %% fun_info (only deterministic items)
    d({info_local, info(Inc)}),
    d({info_closure, info(A5)}),
    d({info_ext, info(fun lists:map/2)}),
    d({info_dynamic_ext, info(fun M:F/Ar)}),
    d({fun_info_arity, erlang:fun_info(fun(_, _, _) -> ok end, arity)}),
    %% display of funs (local funs show module, index and the module's unique hash)
    d(fun lists:map/2),
    d(fun M:F/Ar),
    d(Inc),
    d(A5),
    d({errors, ?T((id(not_a_fun))(1)), ?T((id(Inc))(1, 2)), ?T((id(fun ext/2))(1)), ?T((id({a, b}))()),
       ?T((id(fun nomodule:nofun/0))()), ?T((id(fun ?MODULE:nofun/1))(1))}),
    %% a fun returning a fun returning a fun
    Deep = fun(X) -> fun(Y) -> fun(Z) -> X * 100 + Y * 10 + Z end end end,
    d({deep, ((Deep(id(1)))(2))(3)}),
    %% funs capturing other funs in a loop
    Chain = lists:foldl(fun(N, Acc) -> fun(X) -> Acc(X) + N end end, fun(X) -> X end, lists:seq(1, 100)),
    d({chain, Chain(id(0))}),
    %% erlang:apply/2,3 with funs
    d({apply, apply(A5, [id(1)]), apply(fun() -> zero end, []), apply(lists, seq, [1, id(3)])}),
    ok.
