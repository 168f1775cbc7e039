%% Binary construction: integer/float/binary/bitstring segments with sizes,
%% units, endianness and signedness; appending; errors.
-module(bs_construct).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

ints(X) ->
    [<<X>>, <<X:16>>, <<X:16/little>>, <<X:32/big>>, <<X:32/little-signed>>, <<X:24/native-unsigned>>,
     <<X:64>>, <<X:64/little>>, <<X:3>>, <<X:12>>, <<X:7/little>>, <<X:70>>, <<X:100/little>>, <<X:1>>].

var_size(X, S) -> <<X:S>>.
var_size_le(X, S) -> <<X:S/little>>.
var_unit(X, S) -> <<X:S/unit:8>>.

floats(F) ->
    [<<F/float>>, <<F:32/float>>, <<F:64/float-little>>, <<F:32/float-little>>, <<F:16/float>>, <<F:16/float-little>>].

bins(B) ->
    [?T(<<B/binary>>), ?T(<<B/bits>>), ?T(<<B/bitstring, 1:1>>), ?T(<<1, B/binary, 2>>),
     ?T(<<B:2/binary>>), ?T(<<B:1/binary-unit:16>>), ?T(<<B:3/bits, B/bits>>)].

append(Acc, []) -> Acc;
append(Acc, [X | Xs]) -> append(<<Acc/binary, X:8>>, Xs).

append_bits(Acc, 0) -> Acc;
append_bits(Acc, N) -> append_bits(<<Acc/bitstring, (N band 1):1>>, N - 1).

build(N) -> << <<I:16>> || I <- lists:seq(1, N) >>.

main() ->
    [d({int, X, ints(id(X))}) || X <- [0, 1, -1, 255, 256, -256, 65535, 16#12345678, -(1 bsl 40), 1 bsl 64, (1 bsl 70) - 1]],
    d({var_size, [var_size(id(X), id(S)) || X <- [5, -5, 1 bsl 65], S <- [0, 1, 3, 8, 13, 64, 65, 72]]}),
    d({var_size_le, [var_size_le(id(X), id(S)) || X <- [16#ABCD, -2], S <- [4, 12, 16, 20, 33]]}),
    d({var_unit, [var_unit(id(X), id(S)) || X <- [258, -1], S <- [0, 1, 2, 3]]}),
    [d({float, F, ?T(floats(id(F)))}) || F <- [0.0, 1.0, -1.5, 3.14159, 65504.0, 1.0e10, 1.0e-10, 1.0e300]],
    d({float_int, <<(id(3)):64/float>>, <<(id(1 bsl 70)):64/float>>, <<(id(-2)):32/float>>}),
    [d({bin, B, ?T(bins(id(B)))}) || B <- [<<>>, <<1>>, <<1, 2>>, <<1, 2, 3, 4>>, <<3:2>>, <<1, 2, 3:5>>]],
    d({strings, <<"abc">>, <<"abc", 0, "def">>, <<$a, $b:16, "c"/utf8>>, <<"λ"/utf8>>, <<"x":16>>}),
    d({append, append(<<>>, lists:seq(1, 20)), byte_size(append(id(<<"head">>), lists:seq(1, 1000)))}),
    d({append_bits, append_bits(<<>>, 13), bit_size(append_bits(<<>>, 1000))}),
    d({comprehension, build(id(10)), byte_size(build(id(5000)))}),
    d({bitcompr, << <<X:3>> || X <- [1, 2, 3, 4, 5, 6, 7] >>, << <<B:1>> || <<B:2>> <= <<2#11011000>> >>}),
    d({sizes, [{byte_size(B), bit_size(B)} || B <- [<<>>, <<1:1>>, <<1:9>>, <<1:64>>, <<0:1000>>]]}),
    d({errors, ?T(<<(id(a)):8>>), ?T(<<(id(1.5)):8>>), ?T(<<(id(1)):(id(-1))>>), ?T(<<(id(1)):(id(a))>>),
       ?T(<<(id(<<1:3>>))/binary>>), ?T(<<(id(<<1>>)):2/binary>>), ?T(<<(id(x))/float>>),
       ?T(<<(id(1.0)):(id(17))/float>>), ?T(<<(id(1 bsl 2000)):64/float>>), ?T(<<(id([1])):8>>), ?T(<<(id(-1))/utf8>>)}),
    d({mixed, <<1:1, 2:2, 3:3, 4:4, 5:5, 6:6, 7:7, 8:8>>, <<(id(-1)):4/signed, 15:4>>}),
    d({large, byte_size(<< <<I:32>> || I <- lists:seq(1, 100000) >>), erlang:md5(<< <<I:32>> || I <- lists:seq(1, 1000) >>)}),
    d({list_to_bitstring, list_to_bitstring([<<1:3>>, 2, [<<3:5>>]]), bitstring_to_list(<<1, 2, 3:3>>)}),
    ok.
