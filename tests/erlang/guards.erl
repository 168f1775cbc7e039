%% Guards: type tests, comparisons (==, /=, =:=, =/=), boolean operators,
%% guard BIFs (including gc BIFs with 1..3 arguments such as binary_part/3),
%% failing guard BIFs that make the clause not match, guards in case/if/receive.
-module(guards).
-export([main/0, id/1]).

-record(r, {a}).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

type(X) when is_integer(X) -> integer;
type(X) when is_float(X) -> float;
type(X) when is_atom(X), is_boolean(X) -> boolean;
type(X) when is_atom(X) -> atom;
type(X) when is_binary(X) -> binary;
type(X) when is_bitstring(X) -> bitstring;
type(X) when is_function(X, 0) -> fun0;
type(X) when is_function(X, 2) -> fun2;
type(X) when is_function(X) -> function;
type(X) when is_map(X) -> map;
type(X) when is_record(X, r) -> record_r;
type(X) when is_tuple(X) -> tuple;
type([]) -> nil;
type([_ | _]) -> cons;
type(X) when is_pid(X) -> pid;
type(X) when is_port(X) -> port;
type(X) when is_reference(X) -> reference.

eq(X, Y) when X == Y, X /= 0 -> eq_nonzero;
eq(X, Y) when X == Y -> eq;
eq(X, Y) when X =:= Y + 1 -> plus_one;
eq(X, Y) when X =/= Y, X /= Y -> ne.

bools(X, Y) when X andalso Y -> both;
bools(X, Y) when X orelse Y -> one;
bools(X, Y) when not (X or Y) -> neither_strict.

xor_test(X, Y) when X xor Y -> exactly_one;
xor_test(_, _) -> not_exactly_one.

gc_bifs(X) when length(X) > 3, hd(X) > 0 -> long_positive_head;
gc_bifs(X) when abs(X) > 10 -> abs_gt_10;
gc_bifs(X) when float(X) > 2.5 -> float_gt;
gc_bifs(X) when trunc(X) =:= 2 -> trunc_two;
gc_bifs(X) when round(X) =:= 1 -> round_one;
gc_bifs(X) when byte_size(X) > 2 -> big_binary;
gc_bifs(X) when bit_size(X) =:= 3 -> three_bits;
gc_bifs(X) when tuple_size(X) =:= 2, element(1, X) =:= ok -> ok_pair;
gc_bifs(X) when map_size(X) > 1 -> multi_map;
gc_bifs(X) when tl(X) =:= [] -> singleton;
gc_bifs(_) -> none.

bin_part(B) when binary_part(B, 0, 2) =:= <<"ab">> -> starts_ab;
bin_part(B) when binary_part(B, {byte_size(B), -1}) =:= <<"z">> -> ends_z;
bin_part(_) -> other.

arith_guard(X, Y) when X div Y > 2 -> div_gt_2;
arith_guard(X, Y) when X rem Y =:= 1 -> rem_1;
arith_guard(X, Y) when X band Y =/= 0 -> band_nz;
arith_guard(X, Y) when X bsl Y > 100 -> bsl_big;
arith_guard(X, Y) when -X > Y -> neg;
arith_guard(_, _) -> none.

self_guard(P) when P =:= self() -> is_self;
self_guard(_) -> not_self.

node_guard(N) when N =:= node() -> this_node;
node_guard(_) -> other_node.

multi(X) when is_integer(X); is_float(X) -> number;
multi(X) when is_list(X), length(X) > 0; is_tuple(X), tuple_size(X) > 0 -> nonempty_container;
multi(_) -> other.

in_case(X) ->
    case X of
        {A, B} when A > B, is_integer(A) -> first_bigger;
        {A, B} when A =:= B -> same;
        [H | _] when is_atom(H) -> atom_head;
        _ when is_map_key(k, X) -> has_k;
        _ -> other
    end.

in_if(X) ->
    if is_integer(X), X > 0 -> positive;
       is_integer(X) -> non_positive;
       is_list(X) andalso length(X) > 1 -> long_list;
       true -> other
    end.

cmp_chain(X) when 0 =< X, X < 10 -> digit;
cmp_chain(X) when 10 =< X, X =< 99 -> two_digits;
cmp_chain(_) -> other.

numeric(X) when is_number(X) -> number;
numeric(_) -> not_number.

%% key presence only (has_map_fields)
has_ab(#{a := _, b := _}) -> has_ab;
has_ab(#{}) -> map;
has_ab(_) -> other.

%% a /= test that stays an is_ne instruction
ne_if(X, Y) -> if X /= Y, X > 0 -> ne_pos; true -> other end.

main() ->
    d({type, [type(id(X)) || X <- [1, 1 bsl 80, 1.5, true, false, atom, <<"b">>, <<1:1>>, fun() -> x end,
                                    fun(_, _) -> y end, fun lists:map/2, #{}, #r{a = 1}, {r}, {}, [], [1],
                                    list_to_pid("<0.0.0>"), list_to_port("#Port<0.1>"), make_ref()]]}),
    d({eq, [eq(id(X), id(Y)) || {X, Y} <- [{1, 1}, {0, 0}, {0, 0.0}, {1, 1.0}, {2, 1}, {2.0, 1}, {a, b}, {1, 3}]]}),
    d({bools, [t(fun() -> bools(id(X), id(Y)) end) || X <- [true, false], Y <- [true, false]], t(fun() -> bools(id(1), id(true)) end)}),
    d({xor_test, [xor_test(id(X), id(Y)) || X <- [true, false], Y <- [true, false]], xor_test(id(1), id(true))}),
    d({gc_bifs, [gc_bifs(id(X)) || X <- [[1, 2, 3, 4], [0, 2, 3, 4], -11, 11.5, 3, 2.7, 2.2, 0.6, <<"abc">>, <<1:3>>,
                                         {ok, 1}, {error, 1}, #{a => 1, b => 2}, #{a => 1}, [x], [x, y], "xyz", atom]]}),
    d({bin_part, [bin_part(id(B)) || B <- [<<"abc">>, <<"xyz">>, <<"a">>, <<>>, not_binary, <<"ab">>]]}),
    d({arith_guard, [arith_guard(id(X), id(Y)) || {X, Y} <- [{10, 3}, {7, 3}, {4, 3}, {5, 2}, {8, 4}, {1, 0}, {-5, 2}, {a, 1}, {1, 100}]]}),
    d({self_guard, self_guard(self()), self_guard(id(list_to_pid("<0.0.0>")))}),
    d({node_guard, node_guard(id(nonode@nohost)), node_guard(id(other@host))}),
    d({multi, [multi(id(X)) || X <- [1, 1.0, [a], [], {a}, {}, x]]}),
    d({in_case, [in_case(id(X)) || X <- [{2, 1}, {2.0, 1}, {1, 1}, [a, b], #{k => 1}, #{}, [1]]]}),
    d({in_if, [in_if(id(X)) || X <- [5, -5, [1, 2], [1], x]]}),
    d({cmp_chain, [cmp_chain(id(X)) || X <- [0, 9, 10, 99, 100, -1, 5.5, a]]}),
    d({numeric, [numeric(id(X)) || X <- [1, -1.5, 1 bsl 90, a, "1", <<1>>]]}),
    d({has_ab, [has_ab(id(X)) || X <- [#{a => 1, b => 2}, #{a => 1}, #{b => 1, a => 2, c => 3}, #{}, [a, b]]]}),
    d({ne_if, [ne_if(id(X), id(Y)) || {X, Y} <- [{1, 2}, {1, 1}, {1, 1.0}, {-1, 2}, {a, b}, {2, 1.0}]]}),
    ok.
