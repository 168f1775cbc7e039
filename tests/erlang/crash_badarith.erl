%% Ends with an uncaught badarith from a BIF (stack frame with error_info).
-module(crash_badarith).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    erlang:display({sum, lists:sum(id([1, 2, 3]))}),
    erlang:display(id(1) + id(one)).
