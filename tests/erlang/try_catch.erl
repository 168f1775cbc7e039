%% try/of/catch/after semantics: evaluation order of after blocks (recorded
%% in the process dictionary), nested try, try in loops, catch of exceptions
%% raised in of-clauses and after-clauses, return values.
-module(try_catch).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

log(X) -> put(log, [X | get_log()]), X.
get_log() -> case get(log) of undefined -> []; L -> L end.
take_log() -> L = lists:reverse(get_log()), erase(log), L.

basic(F) ->
    try log(body), F() of
        ok -> log(of_ok), ok_result;
        {v, V} -> log(of_v), V
    catch
        throw:T -> log(catch_throw), {thrown, T};
        error:E when is_atom(E) -> log(catch_error_atom), {error_atom, E};
        error:E -> log(catch_error), {error, E}
    after
        log('after')
    end.

nested(N) ->
    try
        try
            case N of
                1 -> throw(inner);
                2 -> error(inner_error);
                3 -> exit(inner_exit);
                _ -> ok
            end
        catch
            throw:inner -> log(inner_caught), throw(from_inner_catch)
        after
            log(inner_after)
        end
    catch
        throw:from_inner_catch -> log(outer_caught_rethrow), outer_1;
        error:R -> log(outer_caught_error), {outer, R}
    after
        log(outer_after)
    end.

of_raises(X) ->
    try id(X) of
        1 -> error(in_of);
        V -> V
    catch
        error:in_of -> not_reached_by_of_error
    end.

after_value() ->
    %% the value of the after block is ignored
    try id(body_value) after id(after_value) end.

after_raises() ->
    try
        try id(1) after throw(from_after) end
    catch
        throw:X -> {caught, X}
    end.

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    R = try
            case N rem 3 of
                0 -> throw(N);
                1 -> error(N);
                2 -> N
            end
        catch
            throw:T -> {t, T};
            error:E -> {e, E}
        end,
    loop(N - 1, [R | Acc]).

%% try without catch clauses for some classes: exception passes through
partial(F) ->
    try
        try F() catch throw:X -> {inner_throw, X} end
    catch
        C:R -> {outer, C, R}
    end.

catch_all(F) ->
    try F() catch _:_ -> caught_all end.

class_var(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

%% try used as an expression in a tail position and in arguments
tail_try(X) -> try 10 div X catch error:badarith -> infinity end.
args_try(X) -> {try 1 / X catch _:_ -> inf end, try X * 2 catch _:_ -> nan end}.

%% exceptions from deep inside after nested funs
in_fun() ->
    F = fun(X) -> try X() after log(in_fun_after) end end,
    try F(fun() -> throw(deep) end) catch throw:deep -> deep_caught end.

%% many sequential trys, to stress catch-tag save/restore
many(N) -> lists:sum([try if I rem 2 =:= 0 -> throw(I); true -> I end catch throw:V -> -V end || I <- lists:seq(1, N)]).

%% old-style catch nested inside try and vice versa
mixed() ->
    A = (catch try throw(a) catch throw:a -> throw(b) end),
    B = try catch throw(c) catch _:_ -> not_here end,
    C = (catch (catch throw(d))),
    {A, B, C}.

main() ->
    [begin R = class_var(fun() -> basic(F) end), d({basic, Name, R, take_log()}) end
     || {Name, F} <- [{ok, fun() -> ok end}, {v, fun() -> {v, 42} end}, {throw, fun() -> throw(t) end},
                      {error_atom, fun() -> error(e) end}, {error_tuple, fun() -> error({e, 1}) end},
                      {try_clause, fun() -> other end}]],
    [begin R = (catch nested(N)), d({nested, N, R, take_log()}) end || N <- [0, 1, 2, 3]],
    d({of_raises, catch_all(fun() -> of_raises(id(1)) end), of_raises(id(2)), class_var(fun() -> of_raises(id(1)) end)}),
    d({after_value, after_value()}),
    d({after_raises, after_raises()}),
    d({loop, loop(id(12), [])}),
    d({partial, partial(fun() -> throw(x) end), partial(fun() -> error(y) end), partial(fun() -> exit(z) end), partial(fun() -> v end)}),
    d({class_var, class_var(fun() -> throw(1) end), class_var(fun() -> exit(2) end), class_var(fun() -> error(3) end)}),
    d({tail_try, [tail_try(id(X)) || X <- [1, 2, 0, 5]]}),
    d({args_try, args_try(id(2)), args_try(id(0)), args_try(id(a))}),
    d({in_fun, in_fun(), take_log()}),
    d({many, many(id(1000))}),
    d({mixed, mixed()}),
    ok.
