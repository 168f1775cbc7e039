%% Every kind of runtime error and how it is caught: try/catch with class
%% patterns, old-style catch, guards that swallow exceptions, erlang:raise/3,
%% error/1,2,3, exit/1, throw/1.
-module(exceptions).
-export([main/0, id/1]).

-record(rec, {a, b}).

id(X) -> X.
d(X) -> erlang:display(X).

%% class and reason only (no stacktrace: it contains frames of the caller)
t(F) ->
    try F() of
        V -> {value, V}
    catch
        throw:R -> {throw, R};
        exit:R -> {exit, R};
        error:R -> {error, R}
    end.

%% old-style catch, with the stacktrace of an error replaced by its length
c(F) ->
    case catch F() of
        {'EXIT', {R, [_ | _] = ST}} when is_list(ST) -> {'EXIT', R, frames};
        Other -> Other
    end.

fc(a) -> a;
fc(b) -> b.

cc(X) -> case X of 1 -> one; 2 -> two end.

ic(X) -> if X > 10 -> big; X < 0 -> neg end.

tc(X) ->
    try id(X) of
        1 -> one
    catch
        _:_ -> caught
    end.

guard_swallow(X) when 10 / X > 1 -> lt10;
guard_swallow(X) when element(2, X) =:= a -> tuple_a;
guard_swallow(X) when length(X) > 2 -> long_list;
guard_swallow(_) -> fallthrough.

errors() ->
    [{badarg, fun() -> atom_to_list(id(1)) end},
     {badarg_elem, fun() -> element(id(5), {1}) end},
     {badarg_hd, fun() -> hd(id([])) end},
     {badarg_tl, fun() -> tl(id(x)) end},
     {badarg_length, fun() -> length(id([1 | 2])) end},
     {badarg_l2a, fun() -> list_to_atom(id([a])) end},
     {badarith, fun() -> id(1) / 0 end},
     {badmatch, fun() -> {x, _} = id({y, 1}) end},
     {case_clause, fun() -> cc(id(3)) end},
     {function_clause, fun() -> fc(id(c)) end},
     {if_clause, fun() -> ic(id(5)) end},
     {try_clause, fun() -> tc(id(2)) end},
     {undef_mod, fun() -> (id(no_such_module)):f() end},
     {undef_fun, fun() -> (id(lists)):no_such_function(1) end},
     {badfun, fun() -> (id(1))() end},
     {badarity, fun() -> (id(fun(X) -> X end))() end},
     {badkey, fun() -> maps:get(k, id(#{})) end},
     {badmap, fun() -> (id(x))#{a => 1} end},
     {badrecord, fun() -> (id({other, 1}))#rec.a end},
     {badrecord_update, fun() -> (id(#{}))#rec{a = 1} end},
     {system_limit, fun() -> list_to_atom(lists:duplicate(id(256), $a)) end},
     {timeout_value, fun() -> receive after id(-1) -> ok end end},
     {error1, fun() -> error(id(my_error)) end},
     {error_tuple, fun() -> error({id(complex), [1, 2], #{k => v}}) end},
     {error2, fun() -> error(id(with_args), [1, 2]) end},
     {error3, fun() -> error(id(with_info), [x], [{error_info, #{module => ?MODULE}}]) end},
     {exit, fun() -> exit(id(my_exit)) end},
     {exit_normal, fun() -> exit(id(normal)) end},
     {throw, fun() -> throw(id({my, throw})) end},
     {throw_list, fun() -> throw(id([1, 2, 3])) end},
     {raise_error, fun() -> erlang:raise(error, id(raised), []) end},
     {raise_throw, fun() -> erlang:raise(throw, id(raised), [{m, f, 1, []}]) end},
     {raise_exit, fun() -> erlang:raise(exit, id(raised), []) end},
     {raise_badclass, fun() -> erlang:raise(id(bad_class), x, []) end},
     {raise_badtrace, fun() -> erlang:raise(error, x, id(not_a_list)) end},
     {nested, fun() -> try error(inner) catch error:inner -> throw(outer) end end},
     {after_error, fun() -> try id(ok) after error(in_after) end end},
     {integer_overflow_l2i, fun() -> list_to_integer(id("12x")) end},
     {badarg_binary_to_term, fun() -> binary_to_term(id(<<1, 2, 3>>)) end},
     {value, fun() -> id(fine) end}].

main() ->
    [d({N, t(F)}) || {N, F} <- errors()],
    [d({catch_expr, N, c(F)}) || {N, F} <- errors()],
    d({guard_swallow, [guard_swallow(id(X)) || X <- [0, 5, 20, {x, a}, a, [1, 2, 3], [1 | 2], {}]]}),
    d({catch_values, catch id(1), catch throw(id(t)), catch exit(id(e)), (catch error(id(r))) =/= r}),
    %% class patterns
    Classify = fun(F) ->
                       try F() catch
                           throw:{tag, X} -> {tagged, X};
                           throw:X when is_integer(X) -> {int, X};
                           error:{badmatch, _} -> badmatch;
                           Class:_ -> {other, Class}
                       end
               end,
    d({classify, [Classify(F) || F <- [fun() -> throw({tag, 1}) end, fun() -> throw(7) end,
                                        fun() -> 1 = id(2) end, fun() -> exit(x) end, fun() -> throw(a) end]]}),
    %% rethrow keeps class and reason
    Rethrow = fun(F) -> try F() catch C:R:S -> erlang:raise(C, R, S) end end,
    d({rethrow, t(fun() -> Rethrow(fun() -> throw(re) end) end), t(fun() -> Rethrow(fun() -> error(re) end) end),
       t(fun() -> Rethrow(fun() -> exit(re) end) end)}),
    %% exceptions crossing several frames
    d({deep_throw, t(fun() -> deep(id(100)) end)}),
    ok.

deep(0) -> throw({bottom, reached});
deep(N) -> [N | deep(N - 1)].
