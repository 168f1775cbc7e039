%% bsl/bsr with positive, negative, zero and huge shift counts; div/rem sign
%% rules; integer division corner cases around the small-integer limit.
-module(shifts_div).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

shl(X, N) -> X bsl N.
shr(X, N) -> X bsr N.

%% shifts by literal counts (compiled with a literal operand)
lits(X) -> {X bsl 1, X bsl 4, X bsl 31, X bsl 59, X bsl 64, X bsr 1, X bsr 3, X bsr 60, X bsr 64}.

%% div/rem by literals
dl(X) -> {X div 2, X rem 2, X div 3, X rem 3, X div -4, X rem -4, X div 16, X rem 16, X band 15}.

main() ->
    Xs = [0, 1, -1, 5, -5, 255, -256, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 62, -(1 bsl 70) + 3],
    Ns = [0, 1, 2, 3, 8, 27, 28, 31, 32, 58, 59, 60, 63, 64, 65, 127, 1000, -1, -3, -64, -65, -1000],
    [d({shift, X, [{N, shl(id(X), id(N)), shr(id(X), id(N))} || N <- Ns]}) || X <- Xs],
    [d({lits, X, lits(id(X))}) || X <- Xs],
    [d({divlit, X, dl(id(X))}) || X <- Xs ++ [7, -7, 15, -15, 16, -16, 17, -17]],
    [d({divvar, X, Y, ?T(id(X) div id(Y)), ?T(id(X) rem id(Y))})
     || X <- [17, -17, 0, (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 64],
        Y <- [1, -1, 2, -2, 5, -5, 0, 1 bsl 59, -(1 bsl 59), 1 bsl 64]],
    d({min_small_div, id(-(1 bsl 59)) div -1, id(-(1 bsl 59)) rem -1}),
    d({bad, ?T(shl(id(1), id(a))), ?T(shr(id(a), id(1))), ?T(shl(id(1.0), id(1))),
       ?T(shl(id(1), id(1 bsl 64))), ?T(shl(id(0), id(1 bsl 64))), ?T(shr(id(1), id(1 bsl 64))),
       ?T(shr(id(-1), id(1 bsl 64))), ?T(shl(id(1), id(-(1 bsl 64))))}),
    d({bsl_identity, [shl(shr(id(X), 3), 3) == (X band bnot 7) || X <- Xs]}),
    d({pow2_minus1, [(1 bsl N) - 1 || N <- [1, 8, 16, 32, 58, 59, 60, 61, 62, 63, 64, 65]]}),
    ok.
