%% Ends with an uncaught error raised a few calls deep: the VM must print
%% ERTS's crash line and exit with status 1.
-module(crash_error).
-export([main/0, id/1]).

id(X) -> X.

main() ->
    erlang:display(before_crash),
    R = level1(id(3)),
    erlang:display({not_reached, R}).

level1(X) -> {level1, level2(X)}.
level2(X) -> [level3(X)].
level3(X) -> erlang:error({boom, X}).
