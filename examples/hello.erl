%% The example `make run` runs on oxbeam until the shell works:
%% plain sequential Erlang, printed with erlang:display/1.
-module(hello).
-export([main/0]).

main() ->
    erlang:display({hello, from, oxbeam}),
    erlang:display({fib, 27, fib(27)}),
    erlang:display({sorted, lists:sort([5, 3, 9, 1, 7])}),
    erlang:display({bignum, fact(30)}),
    M = maps:from_list([{K, K * K} || K <- lists:seq(1, 5)]),
    erlang:display({map, M, maps:get(4, M)}),
    <<A:4, B:12, Rest/binary>> = <<16#ABCD:16, "tail">>,
    erlang:display({bits, A, B, Rest}),
    Bin = term_to_binary({M, [1.5, "str"]}),
    erlang:display({etf_roundtrip, byte_size(Bin), binary_to_term(Bin) =:= {M, [1.5, "str"]}}),
    erlang:display(
        try list_to_integer(id("not a number"))
        catch error:Reason:Stack -> {caught, Reason, hd(Stack)}
        end).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

id(X) -> X.

fact(0) -> 1;
fact(N) -> N * fact(N - 1).
