%% erlang:garbage_collect/0,1,2 collect the calling process: garbage is
%% reclaimed, live data (stack, dictionary, messages, binaries) survives,
%% the options select minor or major collections and asynchronous replies;
%% bad arguments raise the errors stock ERTS raises.
-module(gc_bifs).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).
t(F) ->
    try F()
    catch C:R:S ->
        {M, Fn, A, I} = hd(S),
        {caught, C, R, {M, Fn, [pid_or(X) || X <- A], I}}
    end.

pid_or(X) when is_pid(X) -> pid;
pid_or(X) -> X.

heap() -> {total_heap_size, H} = process_info(self(), total_heap_size), H.
minors() ->
    {garbage_collection, L} = process_info(self(), garbage_collection),
    proplists:get_value(minor_gcs, L).

garbage(N) -> length(lists:reverse(lists:seq(1, N))).

main() ->
    Keep = {lists:seq(1, 1000), binary:copy(<<"live">>, 1000), #{a => [1, 2, 3]}},
    put(key, {stored, lists:seq(1, 100)}),
    self() ! {msg, lists:seq(1, 50)},
    garbage(id(300000)),
    Big = heap(),
    d({gc0, erlang:garbage_collect()}),
    After = heap(),
    d({reclaimed, After < Big, minors()}),
    d({minor, erlang:garbage_collect(self(), [{type, minor}]), minors()}),
    d({minor_again, garbage_collect(self(), [{type, minor}]), minors()}),
    d({major, erlang:garbage_collect(self(), [{type, major}]), minors()}),
    d({gc1, erlang:garbage_collect(self()), minors()}),
    d({async, erlang:garbage_collect(self(), [{async, req1}])}),
    d({reply, receive {garbage_collect, req1, R} -> R after 1000 -> timeout end}),
    d({async_minor, erlang:garbage_collect(self(), [{type, minor}, {async, {ref, 2}}]),
       receive {garbage_collect, {ref, 2}, R2} -> R2 after 1000 -> timeout end}),
    d({internal, erts_internal:garbage_collect(major), erts_internal:garbage_collect(minor)}),
    d({kept, Keep =:= {lists:seq(1, 1000), binary:copy(<<"live">>, 1000), #{a => [1, 2, 3]}},
       get(key), receive {msg, M} -> length(M) after 0 -> none end}),
    d({errors,
       t(fun() -> erlang:garbage_collect(id(notapid)) end),
       t(fun() -> erlang:garbage_collect(id(notapid), []) end),
       t(fun() -> erlang:garbage_collect(self(), id([bad])) end),
       t(fun() -> erlang:garbage_collect(self(), id([{type, huge}])) end),
       t(fun() -> erlang:garbage_collect(self(), id({type, minor})) end),
       t(fun() -> erlang:garbage_collect(id(notapid), [bad]) end),
       t(fun() -> erts_internal:garbage_collect(id(other)) end)}),
    ok.
