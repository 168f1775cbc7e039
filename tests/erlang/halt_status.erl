%% Prints a few terms, then halts the VM with exit status 3.
-module(halt_status).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    erlang:display({before_halt, id(1) + 2}),
    erlang:halt(id(3)),
    erlang:display(not_reached).
