%% Bignum arithmetic: +,-,*,div,rem, bitwise ops and shifts on big and
%% negative numbers, mixed big/small/float comparisons, conversions.
-module(arith_bignum).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

bigs() ->
    [1 bsl 64, -(1 bsl 64), (1 bsl 64) - 1, 1 bsl 100, -(1 bsl 100) + 12345,
     12345678901234567890123456789, -98765432109876543210,
     (1 bsl 128) + (1 bsl 64) + 1, 7, -7, 0, 1 bsl 59, 16#FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF].

pow(_, 0) -> 1;
pow(B, E) when E rem 2 =:= 0 -> H = pow(B, E div 2), H * H;
pow(B, E) -> B * pow(B, E - 1).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

digit_sum(0) -> 0;
digit_sum(N) -> N rem 10 + digit_sum(N div 10).

modpow(_, 0, _) -> 1;
modpow(B, E, M) when E rem 2 =:= 0 -> H = modpow(B, E div 2, M), (H * H) rem M;
modpow(B, E, M) -> (B * modpow(B, E - 1, M)) rem M.

main() ->
    Bs = bigs(),
    [d({A, B, A + B, A - B, A * B, ?T(A div B), ?T(A rem B)})
     || A <- Bs, B <- [id(1 bsl 64), id(-12345678901), id(3), id(-(1 bsl 100) - 1)]],
    [d({bits, A, A band B, A bor B, A bxor B, bnot A})
     || A <- Bs, B <- [id(-1), id(16#F0F0F0F0F0F0F0F0F0), id(-(1 bsl 70)), id(255)]],
    [d({shift, A, S, A bsl S, A bsr S})
     || A <- [id(1), id(-1), id(1 bsl 64), id(-(1 bsl 64) - 3), id(16#123456789ABCDEF0123)],
        S <- [0, 1, 7, 63, 64, 65, 200, -1, -64, -300]],
    d({pow2, [pow(id(2), E) || E <- [10, 62, 63, 64, 65, 127, 128, 256]]}),
    d({pow3_200, pow(id(3), 200)}),
    d({pow_neg, pow(id(-7), 41)}),
    F100 = fact(id(100)),
    d({fact100, F100}),
    d({fact100_digits, length(integer_to_list(F100)), digit_sum(F100)}),
    d({fact_div, fact(id(50)) div fact(id(48)), fact(id(30)) rem 1000000007}),
    d({fib300, fib(id(300))}),
    d({fib1000_digits, length(integer_to_list(fib(id(1000))))}),
    d({modpow, modpow(id(3), 1000, (1 bsl 89) - 1)}),
    d({cmp_float, [{A < 1.0e20, A > -1.0e20, A == float(A)} || A <- Bs]}),
    d({cmp_big_float, (1 bsl 70) < 1.0e30, (1 bsl 70) > 1.0e21, 1.0e19 < (1 bsl 64),
       (1 bsl 53) + 1 == float((1 bsl 53) + 1), (1 bsl 53) == float(1 bsl 53)}),
    d({float_conv, [float(A) || A <- Bs]}),
    d({trunc_round, [{trunc(X), round(X)} || X <- [1.0e20, -1.5e19, 123456789012345678.0, 2.5e30]]}),
    d({to_string, [integer_to_list(A, 16) || A <- Bs]}),
    d({to_string36, [integer_to_binary(A, 36) || A <- Bs]}),
    d({parse, [list_to_integer(integer_to_list(A)) =:= A || A <- Bs]}),
    d({parse_base, list_to_integer("-ZZZZZZZZZZZZZZZZZZZZZZZZ", 36), binary_to_integer(<<"ffffffffffffffffffffffff">>, 16)}),
    d({abs, [abs(A) || A <- Bs]}),
    d({neg, [-A || A <- Bs]}),
    d({sign_div, [{X div Y, X rem Y} || X <- [id(1 bsl 80), id(-(1 bsl 80))], Y <- [id(3), id(-3), id(1 bsl 70), id(-(1 bsl 70))]]}),
    d({big_to_small, (id(1 bsl 64) - (1 bsl 64)) + 5, id(1 bsl 64) div (1 bsl 62)}),
    d({is_integer, is_integer(id(1 bsl 90)), is_number(id(1 bsl 90)), is_float(id(1 bsl 90))}),
    d({badarith, ?T(id(1 bsl 64) div 0), ?T(id(1 bsl 64) + a), ?T(id(1 bsl 64) bsl (1 bsl 64))}),
    d({huge_shift_down, id(1 bsl 64) bsr (1 bsl 64), id(-(1 bsl 64)) bsr (1 bsl 64)}),
    d({min_max, max(id(1 bsl 64), 1.0e30), min(id(-(1 bsl 64)), -1.0e30)}),
    Huge = pow(id(7), 5000),
    d({huge, length(integer_to_list(Huge)), Huge rem 1000000007, Huge band 16#FFFF, (Huge bsr 13000) rem 1000}),
    d({huge_div, (Huge * Huge) div Huge =:= Huge, (Huge + 1) rem Huge}),
    ok.
