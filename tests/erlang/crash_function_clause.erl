%% Ends with an uncaught function_clause (the frame carries the arguments).
-module(crash_function_clause).
-export([main/0, id/1]).

id(X) -> X.

f(0) -> zero;
f(N) when is_integer(N), N > 0 -> positive.

main() ->
    erlang:display({f, f(id(0)), f(id(5))}),
    erlang:display(f(id(-1.5))).
