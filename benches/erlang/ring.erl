%% Message passing: a ring of 1000 processes passes a token around many
%% times (process switching, send/receive, scheduling).
-module(ring).
-export([main/0, run/1]).

main() -> run(2000).

%% a ring of 1000 processes (the caller is one of them); the token makes
%% Laps laps, i.e. 1000 * Laps messages
run(Laps) ->
    Self = self(),
    Size = 1000,
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> node_loop(Next) end) end, Self, lists:seq(2, Size)),
    First ! {token, Laps},
    Done = wait(First, 0),
    erlang:display({ring, Size, Laps, Done}).

node_loop(Next) ->
    receive
        {token, N} -> Next ! {token, N}, node_loop(Next);
        stop -> Next ! stop
    end.

wait(First, Laps) ->
    receive
        {token, 1} -> First ! stop, receive stop -> Laps + 1 end;
        {token, N} -> First ! {token, N - 1}, wait(First, Laps + 1)
    end.
