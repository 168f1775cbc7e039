%% Signals between processes: links and trap_exit, exit/2 (normal, kill,
%% other reasons, to self), link exits with reason kill, link/1 to a dead
%% process, monitors (by pid and by name, noproc, demonitor with flush and
%% info), registered names, timers sent between processes, process_info
%% shapes, message order between a pair of processes, selective receive
%% over many senders, spawn_opt options and process_flag.
%% No process dies with an error (that would make stock log a report);
%% pids are never displayed.
-module(procs_signals).
-export([main/0, idle/0, wait_loop/0, worker/1]).

d(X) -> erlang:display(X).

%% the class and reason of an exception, without the stack trace
c(F) -> try F() catch C:R -> {C, R} end.

idle() -> receive stop -> ok end.

wait_loop() ->
    receive
        {From, ping} -> From ! {self(), pong}, wait_loop();
        stop -> ok
    end.

worker(Parent) -> Parent ! {worker_started, self()}, wait_loop().

%% a process that links to Target and then waits
linker(Target, Trap) ->
    spawn(fun() ->
                  process_flag(trap_exit, Trap),
                  link(Target),
                  receive Msg -> exit({got, strip(Msg)}) end
          end).

strip({'EXIT', _Pid, Reason}) -> {'EXIT', pid, Reason};
strip({'DOWN', _Ref, process, _Pid, Reason}) -> {'DOWN', Reason};
strip(Other) -> Other.

down(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, Reason} -> Reason after 2000 -> timeout end.

flush_all() ->
    receive _ -> flush_all() after 0 -> ok end.

sleep(Ms) -> receive after Ms -> ok end.

links() ->
    Self = self(),
    %% exit(P, normal) is ignored by a process that does not trap exits
    P1 = spawn(fun idle/0),
    exit(P1, normal),
    sleep(10),
    d({normal_ignored, is_process_alive(P1)}),
    P1 ! stop,
    %% ... and arrives as a message in one that does
    P2 = spawn(fun() -> process_flag(trap_exit, true), Self ! ready,
                        receive M -> Self ! {got, strip(M)} end end),
    receive ready -> ok end,
    exit(P2, normal),
    d({normal_trapped, receive {got, G2} -> G2 end}),
    %% kill cannot be trapped
    P3 = spawn(fun() -> process_flag(trap_exit, true), Self ! ready, idle() end),
    receive ready -> ok end,
    R3 = monitor(process, P3),
    exit(P3, kill),
    d({kill_trapping, receive {'DOWN', R3, process, P3, W3} -> W3 end}),
    %% other reasons kill a non-trapping process
    P4 = spawn(fun idle/0),
    R4 = monitor(process, P4),
    exit(P4, {shutdown, because}),
    d({exit_reason, receive {'DOWN', R4, process, P4, W4} -> W4 end}),
    %% a linked process dying propagates to a non-trapping linker, which
    %% dies with the same reason; a trapping linker gets a message
    Victim = spawn(fun() -> receive go -> exit(boom) end end),
    NonTrap = linker(Victim, false),
    Trap = linker(Victim, true),
    sleep(10),
    MN = monitor(process, NonTrap),
    MT = monitor(process, Trap),
    Victim ! go,
    d({propagate, receive {'DOWN', MN, _, _, RN} -> RN end, receive {'DOWN', MT, _, _, RT} -> RT end}),
    %% a link exit with reason kill is not turned into killed
    Victim2 = spawn(fun() -> receive go -> exit(kill) end end),
    NonTrap2 = linker(Victim2, false),
    Trap2 = linker(Victim2, true),
    sleep(10),
    MN2 = monitor(process, NonTrap2),
    MT2 = monitor(process, Trap2),
    Victim2 ! go,
    d({link_kill, receive {'DOWN', MN2, _, _, RN2} -> RN2 end, receive {'DOWN', MT2, _, _, RT2} -> RT2 end}),
    %% exit(self(), Reason) in a spawned process
    d({exit_self, down(spawn(fun() -> exit(self(), normal), receive after infinity -> ok end end)),
       down(spawn(fun() -> exit(self(), bye), ok end)),
       down(spawn(fun() -> catch exit(self(), kill), exit(not_reached) end))}),
    %% trapping process: exit(self(), R) becomes a message
    d({exit_self_trapped, down(spawn(fun() -> process_flag(trap_exit, true), exit(self(), r1),
                                          receive M -> exit(strip(M)) end end))}),
    %% link/1 to a dead process
    Dead = spawn(fun() -> ok end),
    sleep(10),
    d({link_dead_nontrap, down(spawn(fun() -> process_flag(trap_exit, false),
                                           exit({caught, c(fun() -> link(Dead) end)}) end))}),
    d({link_dead_trap, down(spawn(fun() -> process_flag(trap_exit, true), true = link(Dead),
                                        receive M -> exit(strip(M)) end end))}),
    %% unlink removes the link on both sides
    P5 = spawn(fun idle/0),
    Linker5 = spawn(fun() -> link(P5), unlink(P5), Self ! unlinked, idle() end),
    receive unlinked -> ok end,
    exit(P5, kill),
    sleep(10),
    d({unlinked_survives, is_process_alive(Linker5)}),
    Linker5 ! stop,
    %% spawn_link from a trapping process; the child exits normally
    Old = process_flag(trap_exit, true),
    L = spawn_link(fun() -> ok end),
    d({spawn_link_normal, receive {'EXIT', L, Why} -> Why end}),
    process_flag(trap_exit, Old),
    d({trap_exit_flag, process_flag(trap_exit, Old), process_flag(trap_exit, Old)}),
    ok.

monitors() ->
    %% by pid
    P = spawn(fun idle/0),
    Ref = monitor(process, P),
    P ! stop,
    d({down_normal, receive {'DOWN', Ref, process, P, R} -> R end}),
    %% by name: the DOWN message names {Name, Node}
    Q = spawn(fun idle/0),
    register(ps_named, Q),
    RefN = monitor(process, ps_named),
    exit(Q, shutdown),
    d({down_by_name, receive {'DOWN', RefN, process, Who, RN} -> {Who, RN} end}),
    %% unregistered name and dead pid: noproc at once
    RefU = monitor(process, ps_nobody),
    d({down_noproc_name, receive {'DOWN', RefU, process, WhoU, RU} -> {WhoU, RU} end}),
    RefD = monitor(process, P),
    d({down_noproc_pid, receive {'DOWN', RefD, process, P, RD} -> RD end}),
    %% demonitor/2 with flush removes a DOWN already delivered
    P2 = spawn(fun() -> ok end),
    Ref2 = monitor(process, P2),
    sleep(10),
    d({demonitor_flush, demonitor(Ref2, [flush]),
       receive {'DOWN', Ref2, _, _, _} -> still_there after 0 -> flushed end}),
    %% info: whether the monitor was still active
    P3 = spawn(fun idle/0),
    Ref3 = monitor(process, P3),
    d({demonitor_info, demonitor(Ref3, [info]), demonitor(Ref3, [info]), demonitor(Ref3)}),
    P3 ! stop,
    d({no_down_after_demonitor, receive {'DOWN', Ref3, _, _, _} -> got after 20 -> none end}),
    %% several monitors on one process
    P4 = spawn(fun idle/0),
    Refs = [monitor(process, P4) || _ <- lists:seq(1, 5)],
    {monitored_by, By} = process_info(P4, monitored_by),
    d({monitored_by_count, length(By)}),
    exit(P4, kill),
    d({many_downs, [receive {'DOWN', R4, process, P4, W} -> W end || R4 <- Refs]}),
    %% a DOWN already received ends the monitor
    P6 = spawn(fun() -> ok end),
    R6 = monitor(process, P6),
    receive {'DOWN', R6, _, _, _} -> ok end,
    {monitors, Mons6} = process_info(self(), monitors),
    d({after_down, demonitor(R6, [info]), [x || {process, Pm} <- Mons6, Pm =:= P6]}),
    %% a DOWN received during a wait stays in the queue after demonitor/1
    P7 = spawn(fun() -> ok end),
    R7 = monitor(process, P7),
    sleep(20),
    d({demonitor_keeps, demonitor(R7), receive {'DOWN', R7, _, _, W7} -> W7 after 0 -> none end}),
    d({bad_demonitor, c(fun() -> demonitor(not_a_ref) end)}),
    ok.

names() ->
    P = spawn(fun wait_loop/0),
    d({register, register(ps_server, P), c(fun() -> register(ps_server, self()) end),
       c(fun() -> register(ps_other, P) end), c(fun() -> register(undefined, self()) end)}),
    ps_server ! {self(), ping},
    d({via_name, receive {P, pong} -> pong end}),
    {ps_server, node()} ! {self(), ping},
    d({via_name_node, receive {P, pong} -> pong end}),
    d({in_registered, lists:member(ps_server, registered())}),
    d({unregister, unregister(ps_server), whereis(ps_server), c(fun() -> unregister(ps_server) end)}),
    register(ps_server, P),
    P ! stop,
    sleep(10),
    d({released_on_exit, whereis(ps_server), c(fun() -> ps_server ! x end), {ps_server, node()} ! y}),
    Dead = spawn(fun() -> ok end),
    sleep(10),
    d({register_dead, c(fun() -> register(ps_dead, Dead) end)}),
    d({send_to_dead_pid, Dead ! hello}),
    ok.

timers() ->
    Self = self(),
    P = spawn(fun() -> Self ! ready, collect([]) end),
    receive ready -> ok end,
    register(ps_collector, P),
    erlang:send_after(30, P, third),
    erlang:send_after(10, P, first),
    erlang:send_after(20, ps_collector, second),
    T = erlang:start_timer(15, P, between),
    Cancelled = erlang:send_after(5, P, cancelled),
    Left = erlang:cancel_timer(Cancelled),
    d({cancel, is_integer(Left), Left =< 5, erlang:cancel_timer(Cancelled), erlang:read_timer(Cancelled)}),
    sleep(60),
    P ! {Self, report},
    Got = receive {collected, L} -> L end,
    d({timer_order, [case M of {timeout, T, between} -> {timeout, ref, between}; _ -> M end || M <- Got]}),
    d({fired_read, erlang:read_timer(T), erlang:cancel_timer(T)}),
    %% cancel_timer/2 options
    T2 = erlang:send_after(1000, self(), never),
    ok = erlang:cancel_timer(T2, [{async, true}, {info, true}]),
    d({async_cancel, receive {cancel_timer, T2, Ms} -> is_integer(Ms) end}),
    T3 = erlang:start_timer(1000, self(), never),
    d({cancel_noinfo, erlang:cancel_timer(T3, [{info, false}]), erlang:read_timer(T3)}),
    d({timer_badarg, c(fun() -> erlang:send_after(-1, self(), x) end), c(fun() -> erlang:send_after(1, {a, b}, x) end)}),
    %% receive ... after in another process
    W = spawn(fun() -> receive nothing -> ok after 20 -> Self ! {self(), timed_out} end end),
    d({after_in_other, receive {W, X} -> X end}),
    unregister(ps_collector),
    P ! stop,
    ok.

collect(Acc) ->
    receive
        {From, report} -> From ! {collected, lists:reverse(Acc)}, collect([]);
        stop -> ok;
        M -> collect([M | Acc])
    end.

info() ->
    Self = self(),
    P = spawn(?MODULE, worker, [Self]),
    receive {worker_started, P} -> ok end,
    sleep(20),
    d({info_status, process_info(P, status)}),
    d({info_current, process_info(P, current_function)}),
    d({info_initial, process_info(P, initial_call)}),
    d({info_queue, process_info(P, [message_queue_len, messages, links, dictionary, trap_exit])}),
    d({info_regname, process_info(P, registered_name), process_info(P, [registered_name])}),
    register(ps_info, P),
    d({info_regname2, process_info(P, registered_name), process_info(P, [registered_name])}),
    unregister(ps_info),
    {group_leader, GL} = process_info(P, group_leader),
    d({info_gl, is_pid(GL), GL =:= group_leader()}),
    [{heap_size, H}, {total_heap_size, TH}, {stack_size, S}, {reductions, Rd}] =
        process_info(P, [heap_size, total_heap_size, stack_size, reductions]),
    d({info_sizes, is_integer(H), TH >= H, is_integer(S), is_integer(Rd)}),
    Keys = [K || {K, _} <- process_info(P)],
    d({info_keys, Keys}),
    register(ps_info1, P),
    d({info_keys_registered, [K || {K, _} <- process_info(P)] -- Keys, hd(process_info(P))}),
    unregister(ps_info1),
    %% group_leader/2 on another process
    G = spawn(fun idle/0),
    true = group_leader(G, P),
    d({info_gl2, process_info(P, group_leader) =:= {group_leader, G}}),
    true = group_leader(GL, P),
    G ! stop,
    %% dictionary of another process
    DP = spawn(fun() -> put(a, 1), put(b, {2, "two"}), Self ! dict_ready, idle() end),
    receive dict_ready -> ok end,
    {dictionary, Dict} = process_info(DP, dictionary),
    d({info_dict, lists:sort(Dict)}),
    DP ! stop,
    %% messages of another process, in order
    Q = spawn(fun() -> receive go -> ok end end),
    Q ! {one, 1}, Q ! [two], Q ! <<"three">>,
    sleep(10),
    d({info_messages, process_info(Q, [message_queue_len, messages])}),
    Q ! go,
    %% a process's own info
    put(k1, v1),
    self() ! own_message,
    d({info_self, process_info(self(), [message_queue_len, messages, status])}),
    receive own_message -> ok end,
    erase(k1),
    %% monitors of this process
    R = spawn(fun idle/0),
    register(ps_mon, R),
    M = monitor(process, ps_mon),
    {monitors, Mons} = process_info(self(), monitors),
    d({info_monitors, [X || {process, {ps_mon, _}} = X <- Mons]}),
    demonitor(M),
    unregister(ps_mon),
    R ! stop,
    d({info_dead, process_info(R, status) =:= undefined orelse waited}),
    sleep(10),
    d({info_dead2, process_info(R, status), process_info(R)}),
    d({info_badarg, c(fun() -> process_info(self(), no_such_item) end), c(fun() -> process_info(not_a_pid) end)}),
    d({is_alive, is_process_alive(R), is_process_alive(self()), c(fun() -> is_process_alive(x) end)}),
    d({processes, lists:member(self(), processes()), lists:member(R, processes())}),
    P ! stop,
    ok.

ordering() ->
    Self = self(),
    %% messages from one sender arrive in the order sent
    Rcv = spawn(fun() -> Self ! {order, [receive {n, I} -> I end || _ <- lists:seq(1, 500)]} end),
    [Rcv ! {n, I} || I <- lists:seq(1, 500)],
    d({pair_order, receive {order, L} -> L =:= lists:seq(1, 500) end}),
    %% selective receive: many senders, received in a fixed order
    N = 20,
    Senders = [spawn(fun() -> [Self ! {msg, S, K} || K <- lists:seq(1, 10)] end) || S <- lists:seq(1, N)],
    Got = [receive {msg, S, K} -> {S, K} end || S <- lists:reverse(lists:seq(1, N)), K <- lists:seq(1, 10)],
    d({selective, length(Senders), Got =:= [{S, K} || S <- lists:reverse(lists:seq(1, N)), K <- lists:seq(1, 10)]}),
    %% per-sender order is kept when interleaved
    Ps = [spawn(fun() -> [Self ! {seq, S, K} || K <- lists:seq(1, 50)] end) || S <- lists:seq(1, 5)],
    All = [receive {seq, S, K} -> {S, K} end || _ <- lists:seq(1, 250)],
    PerSender = [[K || {S2, K} <- All, S2 =:= S] || S <- lists:seq(1, 5)],
    d({interleaved, length(Ps), lists:all(fun(Ks) -> Ks =:= lists:seq(1, 50) end, PerSender)}),
    %% yield and spawn_opt
    {Pid, MRef} = spawn_opt(fun() -> erlang:yield(), exit(opt_done) end,
                            [monitor, {priority, high}, {min_heap_size, 1000}, {fullsweep_after, 10}]),
    d({spawn_opt, receive {'DOWN', MRef, process, Pid, Why} -> Why end}),
    d({spawn_opt_bad, c(fun() -> spawn_opt(fun() -> ok end, [bogus]) end)}),
    d({priority, process_flag(priority, low), process_flag(priority, normal)}),
    d({bad_flag, c(fun() -> process_flag(trap_exit, maybe) end), c(fun() -> process_flag(no_such_flag, 1) end)}),
    flush_all(),
    ok.

main() ->
    links(),
    monitors(),
    names(),
    timers(),
    info(),
    ordering(),
    ok.
