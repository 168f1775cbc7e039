%% Float-register code: functions whose operands the compiler knows to be
%% floats are compiled into fmove/fconv/fadd/fsub/fmul/fdiv/fnegate.
-module(floats_fr).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

b(X) when is_float(X) -> <<B:64>> = <<X/float>>, {X, B};
b(X) -> X.

poly(X) when is_float(X) -> 3.0 * X * X - 2.0 * X + 1.5.

mix(X, Y) when is_float(X), is_float(Y) -> (X + Y) * (X - Y) / (X * Y + 1.0).

neg(X) when is_float(X) -> -X * 2.0.

conv(X, N) when is_float(X), is_integer(N) -> X * N + N / 2.

conv_any(X, Y) when is_float(X) -> X * Y + 1.0.

dist({X1, Y1}, {X2, Y2}) when is_float(X1), is_float(Y1), is_float(X2), is_float(Y2) ->
    DX = X1 - X2,
    DY = Y1 - Y2,
    math:sqrt(DX * DX + DY * DY).

%% Horner evaluation with a float accumulator in a loop.
horner([], _X, Acc) -> Acc;
horner([C | Cs], X, Acc) when is_float(X), is_float(Acc), is_float(C) -> horner(Cs, X, Acc * X + C).

%% Mandelbrot escape count: float-register heavy.
mandel(CR, CI) -> mandel(0.0, 0.0, CR, CI, 0).
mandel(_, _, _, _, 200) -> 200;
mandel(ZR, ZI, CR, CI, N) when is_float(ZR), is_float(ZI), is_float(CR), is_float(CI) ->
    ZR2 = ZR * ZR,
    ZI2 = ZI * ZI,
    if ZR2 + ZI2 > 4.0 -> N;
       true -> mandel(ZR2 - ZI2 + CR, 2.0 * ZR * ZI + CI, CR, CI, N + 1)
    end.

%% Simple integration (trapezoid rule) of x^2*sin(x) on [0, pi].
integrate(N) ->
    H = math:pi() / N,
    integrate(1, N, H, 0.5 * (f(0.0) + f(math:pi()))) * H.
integrate(I, N, _H, Acc) when I >= N -> Acc;
integrate(I, N, H, Acc) when is_float(H), is_float(Acc) -> integrate(I + 1, N, H, Acc + f(I * H)).

f(X) when is_float(X) -> X * X * math:sin(X).

%% Euler's method on a 2-body orbit, returning the final state.
orbit(0, X, Y, VX, VY) -> {X, Y, VX, VY};
orbit(N, X, Y, VX, VY) when is_float(X), is_float(Y), is_float(VX), is_float(VY) ->
    R2 = X * X + Y * Y,
    R3 = R2 * math:sqrt(R2),
    AX = -X / R3,
    AY = -Y / R3,
    DT = 0.001,
    orbit(N - 1, X + VX * DT, Y + VY * DT, VX + AX * DT, VY + AY * DT).

%% Float errors inside float-register code.
bad_div(X, Y) when is_float(X), is_float(Y) -> X / Y + 1.0.
bad_mul(X, Y) when is_float(X), is_float(Y) -> X * Y * Y.

main() ->
    d({poly, [b(poly(id(X))) || X <- [0.0, 1.0, -2.5, 1.0e10]]}),
    d({mix, [b(mix(id(X), id(Y))) || X <- [1.0, -3.5, 100.25], Y <- [2.0, 0.5]]}),
    d({neg, [b(neg(id(X))) || X <- [0.0, -0.0, 1.5, -1.0e300]]}),
    d({conv, [b(conv(id(X), id(N))) || X <- [1.5, -0.25], N <- [0, 3, -7, 1 bsl 62]]}),
    d({conv_any, [?T(b(conv_any(id(2.5), id(Y)))) || Y <- [2, 2.0, 1 bsl 80, a]]}),
    d({dist, b(dist(id({0.0, 0.0}), id({3.0, 4.0}))), b(dist(id({1.5, -2.5}), id({-7.25, 0.125})))}),
    d({horner, b(horner(id([1.0, -3.0, 0.5, 2.0, -1.0]), id(1.7), 0.0))}),
    d({mandel, [mandel(id(CR), id(CI)) || CR <- [-2.0, -1.5, -0.75, -0.1, 0.25, 0.3], CI <- [0.0, 0.1, 0.65, 1.0]]}),
    d({mandel_sum, lists:sum([mandel(-2.0 + X * 0.05, -1.0 + Y * 0.05) || X <- lists:seq(0, 59), Y <- lists:seq(0, 39)])}),
    d({integrate, b(integrate(id(10000)))}),
    {OX, OY, OVX, OVY} = orbit(id(20000), 1.0, 0.0, 0.0, 1.0),
    d({orbit, b(OX), b(OY), b(OVX), b(OVY)}),
    d({errors, ?T(bad_div(id(1.0), id(0.0))), ?T(bad_mul(id(1.0e200), id(1.0e200))),
       ?T(poly(id(1))), ?T(bad_div(id(1.0e308), id(1.0e-308)))}),
    ok.
