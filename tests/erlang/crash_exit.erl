%% Ends with an uncaught exit/1.
-module(crash_exit).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    erlang:display(before_exit),
    exit(id({shutdown_reason, [1, 2, 3]})).
