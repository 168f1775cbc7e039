%% Code compiled as for OTP 22 (-compile(r22)): y registers are initialised
%% by allocate_zero/allocate_heap_zero/init instead of init_yregs, and funs
%% are created with make_fun2 instead of make_fun3. Such code exists in
%% old .beam files and in a few modules of the OTP tree. (No binary syntax
%% here: r22 would compile it to the bs_init2/bs_put_* family that the OTP 25
%% tree does not use.)
-module(legacy_r22).
-compile([r22]).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

%% a try/catch keeps values in y registers that must be initialised
safe_div(X, Y) ->
    try
        Q = id(X) div id(Y),
        {ok, Q, id(Q) + 1}
    catch
        error:R -> {error, R}
    end.

%% a y register that is only assigned on one branch before a call
branchy(X) ->
    case id(X) of
        {a, V} -> R = id(V), S = id([R]), {R, S};
        {b, V} -> id(V);
        _ -> none
    end.

%% heap allocation together with zeroed y registers
with_heap(X) ->
    T = {X, [X]},
    try id(T) of
        {A, [B]} -> id({A, B, T})
    catch
        _:_ -> error
    end.

%% a term built on entry and a y register initialised with the frame
%% (allocate_heap_zero)
pair_try(X, Y) ->
    Z = {X, Y},
    case id(Z) of
        {1, _} -> W = id(Z), {W, Z};
        _ -> try id(Z) catch _:_ -> Z end
    end.

%% funs: closures and fun references (make_fun2)
adder(N) -> fun(X) -> X + N end.
twice(F) -> fun(X) -> F(F(X)) end.

catch_in_loop(0, Acc) -> Acc;
catch_in_loop(N, Acc) ->
    V = (catch if N rem 3 =:= 0 -> throw(N); true -> N * 2 end),
    catch_in_loop(N - 1, [V | Acc]).

main() ->
    d({safe_div, safe_div(10, 3), safe_div(1, 0), safe_div(a, 1)}),
    d({branchy, [branchy(X) || X <- [{a, 1}, {b, 2}, c]]}),
    d({with_heap, with_heap(id(7))}),
    d({pair_try, pair_try(id(1), 2), pair_try(id(2), 1)}),
    A = adder(id(5)),
    d({funs, A(1), (twice(A))(0), lists:map(adder(id(10)), [1, 2, 3]), (fun id/1)(x), (twice(fun erlang:abs/1))(-3)}),
    d({fun_info, erlang:fun_info(A, arity), erlang:fun_info(A, env), erlang:fun_info(A, name)}),
    d({catch_in_loop, catch_in_loop(id(9), [])}),
    d({records_and_maps, maps:get(k, #{k => id(v)}), element(2, setelement(2, {a, b}, id(c)))}),
    ok.
