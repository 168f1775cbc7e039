%% Stacktraces of caught exceptions: {Module, Function, Arity | Args,
%% [{file, _}, {line, _}]} frames, BIF frames with error_info, tail calls
%% that leave no frame, funs, depth limit, erlang:raise/3, catch.
%% Frames below main/0 (the runner's) are cut off by trim/1.
-module(stacktraces).
-export([main/0, id/1, remote_error/1]).

id(X) -> X.
d(X) -> erlang:display(X).

trim([{?MODULE, main, 0, _} = F | _]) -> [F];
trim([F | Rest]) -> [F | trim(Rest)];
trim([]) -> [].

run(F) ->
    try F() of
        V -> {value, V}
    catch
        Class:Reason:St -> {Class, Reason, trim(St)}
    end.

lvl1(X) -> R = lvl2(X), {R}.
lvl2(X) -> R = lvl3(X), [R].
lvl3(X) -> R = id(X) + 1, {ok, R}.

tail1(X) -> tail2(X).
tail2(X) -> tail3(X).
tail3(X) -> error({tail, X}).

fc(a, _) -> a;
fc(b, Y) when is_integer(Y) -> b.

remote_error(X) -> erlang:error(remote, [X]).

deep(0) -> id(0) + id(bottom);
deep(N) -> 1 + deep(N - 1).

%% mutual recursion: consecutive frames differ, so none are merged
ping(0) -> id(0) + id(bottom);
ping(N) -> 1 + pong(N - 1).
pong(N) -> 2 * ping(N).

rethrow() ->
    try lvl1(id(x))
    catch C:R:S -> erlang:raise(C, {rethrown, R}, S)
    end.

in_after() ->
    try id(1)
    after lvl1(id(bad))
    end.

main() ->
    d({local, run(fun() -> lvl1(id(a)) end)}),
    d({local_ok, run(fun() -> lvl1(id(1)) end)}),
    d({bif, run(fun() -> atom_to_list(id(1)) end)}),
    d({bif_element, run(fun() -> element(id(3), id({a})) end)}),
    d({gc_bif_length, run(fun() -> length(id(improper)) end)}),
    d({arith, run(fun() -> id(a) * 2 end)}),
    d({tail_calls, run(fun() -> tail1(id(7)) end)}),
    d({function_clause, run(fun() -> fc(id(c), 1) end)}),
    d({function_clause_guard, run(fun() -> fc(id(b), x) end)}),
    d({error2, run(fun() -> remote_error(id(42)) end)}),
    d({error2_remote, run(fun() -> ?MODULE:remote_error(id(43)) end)}),
    d({undef, run(fun() -> (id(nomod)):nofun(1, 2) end)}),
    d({undef_local_mod, run(fun() -> (id(?MODULE)):nofun(x) end)}),
    d({badfun, run(fun() -> (id(notfun))(1) end)}),
    d({throw, run(fun() -> lvl_throw(id(3)) end)}),
    d({exit, run(fun() -> exit(id(bye)) end)}),
    d({depth8, run(fun() -> deep(id(20)) end)}),
    d({pingpong8, run(fun() -> ping(id(20)) end)}),
    d({pingpong_short, run(fun() -> ping(id(1)) end)}),
    d({lists_map, run(fun() -> lists:map(fun(X) -> X + 1 end, id([1, a])) end)}),
    d({lists_foldl, run(fun() -> lists:foldl(fun(X, A) -> X + A end, 0, id([1, 2, b])) end)}),
    d({rethrow, run(fun() -> rethrow() end)}),
    d({raise_custom, run(fun() -> erlang:raise(error, custom, [{m, f, 2, [{file, "m.erl"}, {line, 9}]}, {n, g, [x], []}]) end)}),
    d({in_after, run(fun() -> in_after() end)}),
    d({badmatch, run(fun() -> {ok, _} = id(error) end)}),
    d({case_clause, run(fun() -> case id(3) of 1 -> a end end)}),
    d({badrecord, run(fun() -> element(1, (id(#{}))#{a := 1}) end)}),
    d({catch_expr, case catch lvl1(id(z)) of {'EXIT', {R, S}} -> {R, trim(S)}; V -> V end}),
    d({map_get, run(fun() -> map_get(k, id(#{})) end)}),
    d({binary_part, run(fun() -> binary_part(id(<<1, 2>>), 1, 5) end)}),
    d({float_to_list, run(fun() -> float_to_list(id(1), [short]) end)}),
    d({list_to_integer, run(fun() -> list_to_integer(id("1_2")) end)}),
    d({error_info3, run(fun() -> error(id(e3), [a, b], [{error_info, #{cause => c}}]) end)}),
    Old = erlang:system_flag(backtrace_depth, 3),
    d({depth3, Old, run(fun() -> deep(id(20)) end), run(fun() -> ping(id(20)) end)}),
    erlang:system_flag(backtrace_depth, 30),
    d({depth30, run(fun() -> deep(id(20)) end), run(fun() -> ping(id(20)) end)}),
    erlang:system_flag(backtrace_depth, Old),
    {current_stacktrace, CS} = process_info(self(), current_stacktrace),
    d({current_stacktrace, trim(CS)}),
    ok.

lvl_throw(0) -> throw(done);
lvl_throw(N) -> {lvl_throw(N - 1)}.
