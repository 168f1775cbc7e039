%% Multi-way branches: select_val over integers (dense and sparse), atoms,
%% floats; select_tuple_arity over tuples of different sizes; is_tagged_tuple;
%% jumps through if/case chains with guards.
-module(select).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

dense(0) -> zero; dense(1) -> one; dense(2) -> two; dense(3) -> three; dense(4) -> four;
dense(5) -> five; dense(6) -> six; dense(7) -> seven; dense(8) -> eight; dense(9) -> nine;
dense(_) -> other.

sparse(-1000) -> minus_thousand; sparse(-1) -> minus_one; sparse(17) -> seventeen;
sparse(1000) -> thousand; sparse(1 bsl 40) -> two_pow_40; sparse(123456789) -> big;
sparse(_) -> other.

atoms(red) -> 1; atoms(green) -> 2; atoms(blue) -> 3; atoms(cyan) -> 4; atoms(magenta) -> 5;
atoms(yellow) -> 6; atoms(black) -> 7; atoms(white) -> 8; atoms('') -> 9; atoms(_) -> 0.

floats(0.0) -> zero; floats(1.5) -> one_and_half; floats(-2.25) -> neg; floats(_) -> other.

arity({}) -> 0;
arity({_}) -> 1;
arity({_, _}) -> 2;
arity({_, _, _}) -> 3;
arity({_, _, _, _, _}) -> 5;
arity({_, _, _, _, _, _, _, _, _, _}) -> 10;
arity(T) when is_tuple(T) -> {other, tuple_size(T)};
arity(_) -> not_tuple.

tagged({ok, V}) -> {ok, V};
tagged({error, R}) -> {error, R};
tagged({ok, A, B}) -> {ok2, A, B};
tagged({error, _, _}) -> error3;
tagged({_, _}) -> pair;
tagged(_) -> no.

mixed(X) ->
    case X of
        1 -> int_one;
        a -> atom_a;
        [] -> nil;
        "s" -> string_s;
        <<"b">> -> bin_b;
        {1} -> tuple_one;
        #{k := 1} -> map_k1;
        1.0 -> float_one;
        _ -> other
    end.

ranges(X) when X < 0 -> negative;
ranges(X) when X < 10 -> small;
ranges(X) when X < 100 -> medium;
ranges(X) when X =< 1000 -> large;
ranges(_) -> huge.

bool_case(X) ->
    case X > 5 of
        true -> gt5;
        false -> le5
    end.

nested(X, Y) ->
    case {X, Y} of
        {0, 0} -> origin;
        {0, _} -> y_axis;
        {_, 0} -> x_axis;
        {A, A} -> diagonal;
        {A, B} when A =:= -B -> anti_diagonal;
        _ -> elsewhere
    end.

chars(C) when C >= $a, C =< $z -> lower;
chars(C) when C >= $A, C =< $Z -> upper;
chars(C) when C >= $0, C =< $9 -> digit;
chars($\s) -> space;
chars($\n) -> newline;
chars(_) -> other.

main() ->
    d({dense, [dense(id(X)) || X <- [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.0, a]]}),
    d({sparse, [sparse(id(X)) || X <- [-1000, -1, 0, 17, 1000, 1 bsl 40, 123456789, 999]]}),
    d({atoms, [atoms(id(X)) || X <- [red, green, blue, cyan, magenta, yellow, black, white, '', pink, 1]]}),
    d({floats, [floats(id(X)) || X <- [0.0, -0.0, 1.5, -2.25, 0, 2.0]]}),
    d({arity, [arity(id(T)) || T <- [{}, {a}, {a, b}, {a, b, c}, {1, 2, 3, 4}, {1, 2, 3, 4, 5},
                                    list_to_tuple(lists:seq(1, 10)), list_to_tuple(lists:seq(1, 300)), [a]]]}),
    d({tagged, [tagged(id(T)) || T <- [{ok, 1}, {error, r}, {ok, 1, 2}, {error, 1, 2}, {x, y}, {ok}, ok]]}),
    d({mixed, [mixed(id(X)) || X <- [1, a, [], "s", <<"b">>, {1}, #{k => 1}, 1.0, 2, #{k => 2}]]}),
    d({ranges, [ranges(id(X)) || X <- [-5, 0, 9, 10, 99, 100, 1000, 1001, 1.0e10]]}),
    d({bool_case, [bool_case(id(X)) || X <- [1, 10, a]]}),
    d({nested, [nested(id(X), id(Y)) || {X, Y} <- [{0, 0}, {0, 1}, {2, 0}, {3, 3}, {3, -3}, {1, 2}]]}),
    d({chars, [chars(C) || C <- id("aZ5 \n!")]}),
    ok.
