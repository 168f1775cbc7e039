%% Helper module of apply.erl (remote calls); not a test by itself.
-module(apply_remote).
-export([double/1, sum_list/1, call_back/2, chain/1, run/1, make_adder/1, fail/1, many/20]).

double(X) -> X * 2.
sum_list(L) -> lists:sum(L).
call_back(F, X) -> {called_back, F(X)}.
chain(0) -> done;
chain(N) -> apply:dyn_tail(?MODULE, chain, N - 1).
run(X) -> {run, private(X)}.
make_adder(N) -> fun(X) -> X + N end.
fail(R) -> erlang:error({remote_fail, R}).
many(A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15, A16, A17, A18, A19, A20) ->
    [A20, A19, A18, A17, A16, A15, A14, A13, A12, A11, A10, A9, A8, A7, A6, A5, A4, A3, A2, A1].

private(X) -> {private, X}.
