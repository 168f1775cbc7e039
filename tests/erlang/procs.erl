%% Processes: spawn/spawn_link/spawn_monitor, message round trips, a ring,
%% monitors and 'DOWN' reasons, links with trap_exit and 'EXIT' messages,
%% exit/2 with kill, registered names. Only non-pid data is displayed.
-module(procs).
-export([main/0, id/1, echo/0]).

id(X) -> X.
d(X) -> erlang:display(X).

echo() ->
    receive
        {From, stop} -> From ! {self(), stopped};
        {From, Msg} -> From ! {self(), {echo, Msg}}, echo()
    end.

ring(N, Laps) ->
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_node(Next) end) end, Self, lists:seq(1, N)),
    First ! {token, N * Laps, 0},
    ring_main(First).

ring_node(Next) ->
    receive
        {token, 0, Count} -> Next ! {done, Count};
        {token, Left, Count} -> Next ! {token, Left - 1, Count + 1}, ring_node(Next);
        {done, C} -> Next ! {done, C}
    end.

ring_main(First) ->
    receive
        {token, 0, Count} -> First ! {done, Count}, wait_done();
        {token, Left, Count} -> First ! {token, Left - 1, Count + 1}, ring_main(First);
        {done, Count} -> Count
    end.

wait_done() -> receive {done, C} -> C end.

down_reason(Fun) ->
    {Pid, Ref} = spawn_monitor(Fun),
    receive {'DOWN', Ref, process, Pid, Reason} -> strip(Reason) end.

%% keep error reasons, drop stack traces (they contain no pids but are long)
strip({R, [{_, _, _, _} | _]}) -> {R, stack};
strip(R) -> R.

main() ->
    P = spawn(fun echo/0),
    P ! {self(), hello},
    d({echo, receive {P, M} -> M end}),
    P ! {self(), [1, 2, 3]},
    d({echo2, receive {P, M2} -> M2 end}),
    P ! {self(), stop},
    d({stopped, receive {P, S} -> S end}),
    d({ring, ring(id(100), 10)}),
    %% (processes dying of error/throw would make the VM log an error report
    %% with a timestamp, so only exits are used here)
    d({down, [down_reason(F) || F <- [fun() -> ok end, fun() -> exit(custom) end, fun() -> exit({tuple, [1]}) end,
                                     fun() -> exit(normal) end, fun() -> receive after 5 -> exit(late) end end]]}),
    {Pid0, Ref0} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref0, process, Pid0, _} -> ok end,
    Ref1 = monitor(process, Pid0),
    d({monitor_dead, receive {'DOWN', Ref1, process, Pid0, R1} -> R1 end}),
    d({is_alive, is_process_alive(Pid0), is_process_alive(self())}),
    Old = process_flag(trap_exit, true),
    L1 = spawn_link(fun() -> exit(linked_exit) end),
    d({trap_exit, receive {'EXIT', L1, R2} -> R2 end}),
    L2 = spawn_link(fun() -> receive never -> ok end end),
    exit(L2, kill),
    d({killed, receive {'EXIT', L2, R3} -> R3 end}),
    L3 = spawn_link(fun() -> receive never -> ok end end),
    exit(L3, some_reason),
    d({exit_signal, receive {'EXIT', L3, R4} -> R4 end}),
    L4 = spawn_link(fun() -> ok end),
    d({normal_exit, receive {'EXIT', L4, R5} -> R5 end}),
    L5 = spawn(fun() -> receive go -> exit(after_unlink) end end),
    link(L5), unlink(L5), L5 ! go,
    d({unlinked, receive {'EXIT', L5, _} -> got_exit after 50 -> no_exit end}),
    process_flag(trap_exit, Old),
    %% registered names
    R = spawn(fun echo/0),
    true = register(procs_echo, R),
    procs_echo ! {self(), via_name},
    d({registered, receive {R, M3} -> M3 end, whereis(procs_echo) =:= R, lists:member(procs_echo, registered())}),
    procs_echo ! {self(), stop},
    receive {R, stopped} -> ok end,
    timer_wait(),
    d({unregistered, whereis(procs_echo)}),
    d({badarg_send, try id(no_such_name) ! x catch error:E -> E end}),
    %% many processes
    Self = self(),
    Pids = [spawn(fun() -> Self ! {sq, I, I * I} end) || I <- lists:seq(1, 1000)],
    Sum = lists:sum([receive {sq, I, V} -> V end || I <- lists:seq(1, 1000)]),
    d({many, length(Pids), Sum}),
    %% process dictionary and process_info of another process
    Q = spawn(fun() -> put(k, v), receive {From, get} -> From ! {self(), get(k)} end end),
    Q ! {self(), get},
    d({other_dict, receive {Q, V2} -> V2 end}),
    ok.

timer_wait() ->
    case whereis(procs_echo) of
        undefined -> ok;
        _ -> receive after 1 -> timer_wait() end
    end.
