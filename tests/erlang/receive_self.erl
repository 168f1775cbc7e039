%% Messages sent to the process itself: FIFO order, selective receive,
%% guards in receive, after 0 / after N timeouts, receive markers
%% (make_ref patterns), timers, message_queue_len. No pids are displayed.
-module(receive_self).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

recv_tagged(Tag) ->
    receive {Tag, V} -> V after 0 -> none end.

recv_guard() ->
    receive
        {num, N} when N > 10 -> {big, N};
        {num, N} when is_integer(N) -> {small, N}
    after 0 -> empty
    end.

call_self(Req) ->
    Ref = make_ref(),
    self() ! {noise, 1},
    self() ! {Ref, {reply, Req}},
    self() ! {noise, 2},
    receive
        {Ref, Reply} -> Reply
    end.

%% the same with an after clause
call_self_timeout(Req) ->
    Ref = make_ref(),
    self() ! {Ref, Req},
    receive
        {Ref, R} -> {got, R}
    after 100 -> timeout
    end.

%% a reference that never arrives
missing_ref() ->
    Ref = make_ref(),
    self() ! {other_ref_msg, 1},
    receive
        {Ref, _} -> impossible
    after 5 -> timeout
    end.

sum_msgs(0, Acc) -> Acc;
sum_msgs(N, Acc) -> receive {n, X} -> sum_msgs(N - 1, Acc + X) end.

main() ->
    self() ! a,
    self() ! b,
    self() ! c,
    d({fifo, flush()}),
    self() ! {x, 1}, self() ! {y, 2}, self() ! {x, 3}, self() ! {z, 4},
    d({selective, recv_tagged(z), recv_tagged(x), recv_tagged(y), recv_tagged(x), recv_tagged(x), flush()}),
    [self() ! {num, N} || N <- [5, 20, a, 7]],
    d({guards, recv_guard(), recv_guard(), recv_guard(), recv_guard(), flush()}),
    d({after0_empty, receive _ -> got after 0 -> timeout end}),
    d({after_timeout, receive _ -> got after 20 -> timeout end}),
    d({after_var_timeout, receive _ -> got after id(1) -> timeout end}),
    d({call_self, call_self(ping), flush()}),
    d({call_self_timeout, call_self_timeout(pong)}),
    d({missing_ref, missing_ref(), flush()}),
    [self() ! {n, I} || I <- lists:seq(1, 10000)],
    d({queue_len, process_info(self(), message_queue_len)}),
    d({sum_msgs, sum_msgs(10000, 0), process_info(self(), message_queue_len)}),
    %% send variants
    erlang:send(self(), via_send2),
    erlang:send(self(), via_send3, [noconnect]),
    Name = receive_self_registered,
    true = register(Name, self()),
    Name ! via_name,
    erlang:send(Name, via_send_name),
    true = unregister(Name),
    d({send_variants, flush()}),
    %% timers deliver in deadline order
    T1 = erlang:send_after(30, self(), tick30),
    _ = erlang:send_after(10, self(), tick10),
    TRef = erlang:start_timer(20, self(), tick20),
    R1 = receive M1 -> M1 end,
    R2 = receive {timeout, TRef, M2} -> {timeout, M2} end,
    R3 = receive M3 -> M3 end,
    d({timers, R1, R2, R3, erlang:cancel_timer(T1)}),
    T4 = erlang:send_after(100000, self(), never),
    Left = erlang:cancel_timer(T4),
    d({cancelled, is_integer(Left), Left > 0, flush()}),
    %% a message arriving while waiting (from a timer) wakes up a plain receive
    erlang:send_after(5, self(), {wake, up}),
    d({wait, receive {wake, W} -> W end}),
    %% big messages
    Big = lists:seq(1, 100000),
    self() ! {big, Big, list_to_binary(lists:duplicate(1000, 7))},
    receive {big, L, B} -> d({big_msg, length(L), lists:sum(L), byte_size(B)}) end,
    %% nested receive with different patterns
    self() ! {outer, 1}, self() ! {inner, 2},
    d({nested, receive {outer, O} -> receive {inner, I} -> {O, I} end end}),
    %% receive that skips many non-matching messages
    [self() ! {junk, J} || J <- lists:seq(1, 1000)],
    self() ! wanted,
    d({skip_many, receive wanted -> wanted end, length(flush())}),
    ok.
