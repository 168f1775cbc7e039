%% Naive doubly recursive Fibonacci: call/return heavy integer code.
-module(fib).
-export([main/0, run/1]).

main() -> run(38).

run(N) -> erlang:display({fib, N, fib(N)}).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).
