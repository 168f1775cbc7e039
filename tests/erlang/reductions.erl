%% Long-running loops (tens of millions of calls) so that a process is
%% preempted many times at the reduction budget; two busy processes run
%% concurrently. Only the results are displayed.
-module(reductions).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, step(Acc, N)).

step(Acc, N) -> (Acc + N * N) band 16#FFFFFFF.

fun_loop(_, 0, Acc) -> Acc;
fun_loop(F, N, Acc) -> fun_loop(F, N - 1, F(Acc)).

ping(0, X) -> X;
ping(N, X) -> pong(N - 1, X + 1).
pong(0, X) -> X;
pong(N, X) -> ping(N - 1, X * 3 rem 1000003).

worker(Parent, Tag, N) ->
    spawn(fun() -> Parent ! {Tag, loop(N, 0)} end).

main() ->
    d({loop, loop(id(10000000), 0)}),
    d({fun_loop, fun_loop(fun(X) -> (X * 7 + 1) rem 1000003 end, id(5000000), 1)}),
    d({pingpong, ping(id(5000000), 0)}),
    Self = self(),
    worker(Self, a, 3000000),
    worker(Self, b, 2000000),
    Mine = loop(id(3000000), 0),
    A = receive {a, RA} -> RA end,
    B = receive {b, RB} -> RB end,
    d({concurrent, Mine, A, B, Mine =:= A}),
    d({bif_loop, lists:foldl(fun(X, Acc) -> erlang:phash2({X, Acc}, 1000000) end, 0, lists:seq(1, id(1000000)))}),
    ok.
