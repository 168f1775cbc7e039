%% Ends with an uncaught throw (reported as {nocatch, Value}).
-module(crash_throw).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    erlang:display(before_throw),
    _ = lists:map(fun(X) when X > 2 -> throw({too_big, X}); (X) -> X end, id([1, 2, 3])),
    erlang:display(not_reached).
