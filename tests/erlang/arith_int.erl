%% Small-integer arithmetic (and its overflow into bignums), bitwise
%% operators, comparisons and integer guards.
-module(arith_int).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

vals() ->
    [0, 1, -1, 2, -2, 3, 7, -7, 10, 255, 256, -256, 1000, 65535, 65536,
     (1 bsl 27) - 1, 1 bsl 27, -(1 bsl 27), (1 bsl 31) - 1, 1 bsl 31, 1 bsl 32,
     (1 bsl 59) - 1, 1 bsl 59, -(1 bsl 59), -(1 bsl 59) - 1, (1 bsl 60) - 1,
     1 bsl 63, -(1 bsl 63), 1 bsl 64].

pairs() ->
    [0, 1, -1, 3, -3, 7, -10, 1000, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 60,
     -(1 bsl 64)].

unary(A) ->
    {A, -A, +A, abs(A), bnot A, A + 1, A - 1, 1 - A, A * 2, A * A, A * -3,
     A div 2, A rem 2, A div -7, A rem -7, A band 16#ff, A bor 1, A bxor -1}.

binary(A, B) ->
    {A, B, A + B, A - B, A * B, ?T(A div B), ?T(A rem B),
     A band B, A bor B, A bxor B, max(A, B), min(A, B)}.

compare(A, B) ->
    {A < B, A =< B, A == B, A =:= B, A /= B, A =/= B, A > B, A >= B}.

classify(X) when is_integer(X), X > 100 -> big;
classify(X) when is_integer(X), X < -100 -> very_negative;
classify(X) when is_integer(X), X rem 2 =:= 0 -> even;
classify(X) when is_integer(X) -> odd;
classify(X) when is_float(X) -> float;
classify(_) -> other.

guard_arith(X) when X * 2 + 1 > 10 -> gt10;
guard_arith(X) when X - 3 =:= 0 -> three;
guard_arith(X) when abs(X) > 3 -> absgt3;
guard_arith(_) -> none.

sum(N) -> sum(N, 0).
sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + N).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

collatz(1, Steps) -> Steps;
collatz(N, Steps) when N rem 2 =:= 0 -> collatz(N div 2, Steps + 1);
collatz(N, Steps) -> collatz(3 * N + 1, Steps + 1).

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

isqrt(N) -> isqrt(N, 0, N + 1).
isqrt(_, Lo, Hi) when Hi - Lo =< 1 -> Lo;
isqrt(N, Lo, Hi) ->
    Mid = (Lo + Hi) div 2,
    case Mid * Mid =< N of
        true -> isqrt(N, Mid, Hi);
        false -> isqrt(N, Lo, Mid)
    end.

main() ->
    [d(unary(id(A))) || A <- vals()],
    [d(binary(id(A), id(B))) || A <- pairs(), B <- pairs()],
    [d({cmp, A, B, compare(id(A), id(B))}) || A <- pairs(), B <- pairs()],
    d([classify(id(X)) || X <- [0, 1, 2, 101, -101, 3.0, a, -7, 1 bsl 70]]),
    d([guard_arith(id(X)) || X <- [0, 3, 5, -10, 2, a]]),
    d({sum, sum(id(100000))}),
    d({sum_big, sum(id(1000000))}),
    d({fact20, fact(id(20))}),
    d({fact21, fact(id(21))}),
    d({collatz, [collatz(id(N), 0) || N <- [1, 7, 27, 97, 871, 6171]]}),
    d({gcd, [gcd(id(A), id(B)) || {A, B} <- [{12, 18}, {17, 5}, {1071, 462}, {1 bsl 40, 1 bsl 20}]]}),
    d({isqrt, [isqrt(id(N)) || N <- [0, 1, 15, 16, 17, 1000000, 1 bsl 62, 1 bsl 100]]}),
    d({badarith, ?T(id(a) + 1), ?T(1 - id("x")), ?T(id(1) div 0), ?T(id(5) rem 0),
       ?T(-id(b)), ?T(bnot id(1.0)), ?T(id(1) band 1.0), ?T(id(1.5) div 1)}),
    d({abs_badarg, ?T(abs(id(a)))}),
    d({max_min, max(id(1), 1.0), min(id(1), 1.0), max(id(1.0), 1), min(id(1.0), 1),
       max(id(a), 3), min(id(a), 3)}),
    %% Loops with literals that exercise increments near the small/big boundary.
    Top = (1 bsl 59) - 3,
    d({boundary, lists:seq(id(Top), Top + 5)}),
    d({boundary_down, lists:seq(id(-Top), -Top - 5, -1)}),
    d({mul_overflow, [id(X) * id(X) || X <- [1 bsl 29, (1 bsl 30) - 1, 3037000499, 3037000500]]}),
    d({neg_div, [{X div Y, X rem Y} || X <- [7, -7], Y <- [2, -2]]}),
    d({length_arith, length(lists:seq(1, id(1000))) * 3 + 1}),
    ok.
