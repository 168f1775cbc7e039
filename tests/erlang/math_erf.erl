%% math:erf/1 and math:erfc/1 must be bit-identical to stock ERTS (glibc):
%% inputs around every branch point of the algorithm (0.84375, 1.25,
%% 1/0.35, 6, 28, 2^-28, 2^-56, subnormals), seeded random inputs over
%% several ranges, integers and bad arguments. Results are shown as exact
%% IEEE-754 bit patterns, plus an MD5 digest over many more.
-module(math_erf).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).
t(F) -> try F() catch C:R -> {caught, C, R} end.

bits(X) -> <<B:64>> = <<X/float>>, B.
float_of(B) -> <<X/float>> = <<B:64>>, X.

%% both functions of X, as bit patterns
both(X) -> {bits(X), bits(math:erf(X)), bits(math:erfc(X))}.

%% K ulps on each side of X (same sign)
around(X, K) -> B = bits(X), [float_of(B + D) || D <- lists:seq(-K, K)].

lcg(S) -> (S * 6364136223846793005 + 1442695040888963407) band 16#FFFFFFFFFFFFFFFF.

%% N seeded values of F(Seed) -> {Float, Seed}
randoms(0, _, _, Acc) -> Acc;
randoms(N, S, F, Acc) -> S1 = lcg(S), randoms(N - 1, S1, F, [F(S1) | Acc]).

unit(S) -> (S bsr 11) / (1 bsl 53).

finite(B) -> (B bsr 52) band 16#7FF =/= 16#7FF.

main() ->
    Points = [0.84375, 1.25, 1 / 0.35, 6.0, 28.0, math:pow(2, -28), math:pow(2, -56), 0.25, 1.0, 0.5],
    Edges = lists:append([around(S * P, 3) || P <- Points, S <- [1, -1]]),
    [d({edge, both(X)}) || X <- Edges],
    d({special, [both(X) || X <- [0.0, -0.0, 5.0e-324, -5.0e-324, 2.2250738585072014e-308,
                                  1.7976931348623157e308, -1.7976931348623157e308, 27.9, -27.9, 5.99, -5.99]]}),
    d({integers, [{I, bits(math:erf(I)), bits(math:erfc(I))} || I <- [0, 1, -1, 2, 3, -7, 100, 1 bsl 70]]}),
    d({errors, t(fun() -> math:erf(id(a)) end), t(fun() -> math:erfc(id("1.0")) end),
       t(fun() -> math:erf(id(1 bsl 1100)) end)}),
    Sample = randoms(300, 1, fun(S) -> (unit(S) - 0.5) * 14 end, []),
    [d({sample, both(X)}) || X <- Sample],
    %% Digests over many more inputs per range.
    Ranges = [{near_zero, fun(S) -> (unit(S) - 0.5) * 1.7 end},
              {mid, fun(S) -> (unit(S) - 0.5) * 2.5 end},
              {tail, fun(S) -> (unit(S) - 0.5) * 12 end},
              {far, fun(S) -> (unit(S) - 0.5) * 60 end},
              {tiny, fun(S) -> (unit(S) - 0.5) * math:pow(2, -20 - (S band 63)) end},
              {near_points, fun(S) -> P = lists:nth(1 + S rem 5, Points),
                                      P * (1 + (unit(S) - 0.5) * 1.0e-6) end},
              {any_bits, fun(S) -> case finite(S) of true -> float_of(S); false -> 1.5 end end}],
    [d({digest, Name, erlang:md5([<<(bits(math:erf(X))):64, (bits(math:erfc(X))):64>>
                                  || X <- randoms(20000, 7, F, [])])})
     || {Name, F} <- Ranges],
    ok.
