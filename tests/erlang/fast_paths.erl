%% The interpreter's load-time specialisations and fast tier, with the
%% operands that must leave them for the general path: comparisons of two
%% x registers (CmpXX) on every kind of term, dense small-integer
%% select_val on an x register (SelectSmallX) with values outside the
%% range, of other types and bignums, `move x, x0; return` (ReturnX) into
%% another module, small-integer +/- on tagged words at the edges of the
%% small range, register move groups (parallel and swap-through-temp),
%% stack frames popped by call_last, trim and deallocate.
-module(fast_paths).
-export([main/0, ret_second/2, ret_third/3]).

main() ->
    %% Terms are shown by their index (pids and refs differ per run).
    Terms = lists:zip(lists:seq(1, length(terms())), terms()),
    [erlang:display({cmp, I, J, lt(A, B), ge(A, B), eq(A, B), ne(A, B),
                     eqx(A, B), nex(A, B)})
     || {I, A} <- Terms, {J, B} <- Terms],
    [erlang:display({sel, V, sel(V), sel_neg(V), sel_big(V), rng(V), same(V)})
     || V <- [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
              1 bsl 59 - 1, -(1 bsl 59), 1 bsl 60, -(1 bsl 60), 1 bsl 64,
              2.0, 3.0, a, [], {1}, <<1>>, "x"]],
    [erlang:display({ret, ?MODULE:ret_second(V, V + 1), ret_third(V, V, V * 2)})
     || V <- [0, 1, -1, 1 bsl 59 - 1, 1 bsl 70, 0.5]],
    Edges = [0, 1, -1, 7, -8, 1 bsl 59 - 1, 1 bsl 59 - 2, -(1 bsl 59),
             -(1 bsl 59) + 1, 1 bsl 59, -(1 bsl 59) - 1, 1 bsl 64, 1.5],
    [erlang:display({arith, A, B, add(A, B), sub(A, B), inc(A), dec(A),
                     add_big(A), sub_big(A)})
     || A <- Edges, B <- Edges],
    [erlang:display({float, X, Y, try fl(X, Y) catch error:R:St -> {R, hd(St)} end})
     || X <- [1.0, 1.0e300, -2.5, 3], Y <- [2.0, 1.0e10, 0.0, 1.0e-300, 7]],
    erlang:display({fib, [fib(N) || N <- lists:seq(0, 20)]}),
    erlang:display({tak, tak(18, 12, 6)}),
    erlang:display({rot, [rot(A, B, C) || {A, B, C} <- [{1, 2, 3}, {a, b, c}]]}),
    erlang:display({swap, swap_loop(10, 1, 2)}),
    erlang:display({frames, frames(200, [])}),
    erlang:display({deep, deep(100000)}),
    ok.

terms() ->
    [0, 1, -1, 1 bsl 59 - 1, -(1 bsl 59), 1 bsl 59, 1 bsl 64, -(1 bsl 64),
     1.0, 0.0, -0.0, 1.5, a, b, [], [1], {1}, {1, 2}, #{}, <<>>, <<1>>,
     self(), make_ref()].

%% Guards on two x registers become CmpXX (non-boolean results, so the
%% compiler emits tests rather than comparison BIFs).
lt(A, B) when A < B -> lt;
lt(_, _) -> not_lt.
ge(A, B) when A >= B -> ge;
ge(_, _) -> not_ge.
eq(A, B) when A == B -> eq;
eq(_, _) -> not_eq.
ne(A, B) when A /= B -> ne;
ne(_, _) -> not_ne.
eqx(A, B) when A =:= B -> eqx;
eqx(_, _) -> not_eqx.
nex(A, B) when A =/= B -> nex;
nex(_, _) -> not_nex.

%% Dense small-integer select_val, with holes and a fail label.
sel(0) -> zero;
sel(1) -> one;
sel(2) -> two;
sel(3) -> three;
sel(5) -> five;
sel(6) -> six;
sel(8) -> eight;
sel(_) -> other.

sel_neg(-2) -> m2;
sel_neg(-1) -> m1;
sel_neg(0) -> z;
sel_neg(1) -> p1;
sel_neg(_) -> other.

%% Several values with one target: a range test (SelectRangeX).
rng(1) -> small;
rng(2) -> small;
rng(3) -> small;
rng(_) -> other.

same(0) -> 0;
same(1) -> 1;
same(2) -> 2;
same(N) -> {N}.

%% Values near the small-integer limit: not a dense table.
sel_big(576460752303423487) -> max_small;
sel_big(576460752303423488) -> min_big;
sel_big(-576460752303423488) -> min_small;
sel_big(_) -> other.

%% `move x1, x0; return` and `move x2, x0; return`.
ret_second(_, B) -> B.
ret_third(_, _, C) -> C.

add(A, B) -> A + B.
sub(A, B) -> A - B.
inc(A) -> A + 1.
dec(A) -> A - 1.
add_big(A) -> A + 2147483647.
sub_big(A) -> A - 2147483647.

%% A run of float register instructions; overflow, division by zero and
%% an integer operand take the slow path in the middle of the run.
fl(X, Y) when is_float(X), is_float(Y) ->
    A = X * Y + X / Y,
    B = A * A - -X,
    {A, B, B / (A + 1.0)};
fl(X, Y) ->
    {mixed, X * Y}.

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

tak(X, Y, Z) when Y < X ->
    tak(tak(X - 1, Y, Z), tak(Y - 1, Z, X), tak(Z - 1, X, Y));
tak(_, _, Z) -> Z.

%% A rotation of three registers before a call: a move group whose
%% effect is a cycle.
rot(A, B, C) -> id3(B, C, A).
id3(A, B, C) -> {A, B, C}.

swap_loop(0, A, B) -> {A, B};
swap_loop(N, A, B) -> swap_loop(N - 1, B, A).

%% Frames trimmed and popped on the way down and up.
frames(0, Acc) -> length(Acc);
frames(N, Acc) ->
    X = N * 2,
    Y = frames(N - 1, [X | Acc]),
    Z = id(Y),
    Z + X - X.

id(X) -> X.

deep(0) -> 0;
deep(N) -> 1 + deep(N - 1).
