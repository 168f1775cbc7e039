%% Float arithmetic: mixed int/float ops, rounding BIFs, comparisons,
%% signed zero, overflow errors, math functions. Every float is shown with
%% erlang:display (6 digits) and as its exact IEEE-754 bit pattern.
-module(arith_float).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

%% exact bits of a float (or the term itself if it is not a float)
b(X) when is_float(X) -> <<B:64>> = <<X/float>>, {X, B};
b(X) -> X.
bl(L) -> [b(X) || X <- L].

vals() -> [0.0, 1.0, -1.0, 0.5, -2.5, 3.14159, 1.0e10, 1.0e-10, 123456.789, -0.1,
           1.0e300, 2.2250738585072014e-308, 5.0e-324, 1.7976931348623157e308].

main() ->
    Vs = vals(),
    [d(?T({un, b(X), b(-X), b(abs(X)), b(X / 3), b(X + 0.1), b(X - 1), b(X * 2)})) || X <- [id(V) || V <- Vs]],
    [d(?T({bin, b(X), b(Y), b(X + Y), b(X - Y), ?T(b(X * Y)), ?T(b(X / Y))}))
     || X <- [id(1.5), id(-3.25), id(1.0e200), id(7.0)], Y <- [id(0.0), id(2.0), id(-1.0e200), id(3)]],
    d({mixed, bl([id(1) + 0.5, id(3) * 1.5, id(10) / 4, id(1 bsl 70) * 1.0, id(2) - 0.25, 7 / id(2)])}),
    d({int_div_float, bl([id(1) / 3, id(-1) / 3, id(2) / 1, id(1 bsl 64) / 3])}),
    d({round, [{trunc(X), round(X), floor(X), ceil(X)} || X <- [id(2.5), id(-2.5), id(3.5), id(-0.5), id(0.49999999999999994), id(1.0e15 + 0.5), id(-7.0)]]}),
    d({round_int, [{trunc(X), round(X), floor(X), ceil(X)} || X <- [id(7), id(-7), id(1 bsl 70)]]}),
    d({float, bl([float(id(1)), float(id(-3)), float(id(1 bsl 60)), float(id((1 bsl 53) + 1))])}),
    d({cmp, [{X < Y, X == Y, X =:= Y, X > Y} || X <- [id(1.0), id(1), id(-0.0), id(0.0)], Y <- [id(1.0), id(1), id(0), id(0.0)]]}),
    d({signed_zero, b(id(-0.0)), b(id(0.0) * -1), b(-id(0.0)), id(0.0) =:= id(-0.0), id(0.0) == id(-0.0)}),
    d({overflow, ?T(id(1.0e308) * 10), ?T(id(1.0e308) + 1.0e308), ?T(id(1.0) / 0), ?T(id(1.0) / 0.0), ?T(id(0.0) / 0.0)}),
    d({underflow, bl([id(1.0e-300) * 1.0e-300, id(5.0e-324) / 2])}),
    d({badarith, ?T(id(1.5) + a), ?T(id(1.5) rem 2), ?T(id(1.5) band 1), ?T(float(id(a)))}),
    d({math1, bl([math:sqrt(id(2.0)), math:sqrt(id(16)), math:exp(id(1)), math:log(id(10)),
                  math:log2(id(1024)), math:log10(id(1.0e-5)), math:sin(id(1.0)), math:cos(id(1.0)),
                  math:tan(id(0.5)), math:atan(id(1)), math:atan2(id(1), id(-1)), math:pow(id(2), 0.5),
                  math:pow(id(10), -3), math:pi(), math:asin(id(0.5)), math:acos(id(0.5)),
                  math:sinh(id(1)), math:cosh(id(1)), math:tanh(id(0.5)), math:asinh(id(1)),
                  math:acosh(id(2)), math:atanh(id(0.5)), math:erf(id(0.5)), math:erfc(id(0.5)),
                  math:floor(id(-1.5)), math:ceil(id(-1.5)), math:fmod(id(7.5), 2), math:exp(id(-700))])}),
    d({math_errors, ?T(math:sqrt(id(-1))), ?T(math:log(id(0))), ?T(math:acos(id(2))), ?T(math:pow(id(10), 400))}),
    d({sum_series, b(lists:foldl(fun(I, Acc) -> Acc + 1 / I end, 0.0, lists:seq(1, 10000)))}),
    d({pi_leibniz, b(leibniz(id(100000), 0, 1.0, 0.0))}),
    d({is_float, is_float(id(1.0)), is_float(id(1)), is_number(id(1.0)), is_integer(id(1.0))}),
    d({guards, [classify(id(X)) || X <- [0.5, -0.5, 1.0e100, 7, 0.0]]}),
    d({abs_int, abs(id(-3)), abs(id(-3.5))}),
    ok.

leibniz(0, _, _, Acc) -> 4 * Acc;
leibniz(N, K, Sign, Acc) -> leibniz(N - 1, K + 1, -Sign, Acc + Sign / (2 * K + 1)).

classify(X) when is_float(X), X > 1.0e50 -> huge;
classify(X) when X > 0.0 -> positive;
classify(X) when X < 0.0 -> negative;
classify(X) when X == 0 -> zero.
