%% Takeuchi function: deep non-tail recursion with three arguments.
-module(tak).
-export([main/0, run/1]).

main() -> run(50).

%% N repetitions of tak(24, 16, 8)
run(N) -> erlang:display({tak, loop(N, 0)}).

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, Acc + tak(24, 16, 8)).

tak(X, Y, Z) when Y < X -> tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.
