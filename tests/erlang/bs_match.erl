%% Binary matching: integer/float/binary segments, variable sizes, strings,
%% skipping, tails, multi-clause functions with backtracking, parsers.
-module(bs_match).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

ints(<<A:8, B:16/little, C:4, D:4/signed, E:32/signed-little, F:3, G:5, Rest/binary>>) ->
    {A, B, C, D, E, F, G, Rest};
ints(_) -> nomatch.

big(<<X:72, Y:70/signed, Z:2, W:64/little-signed>>) -> {X, Y, Z, W};
big(_) -> nomatch.

floats(<<A/float, B:32/float, C:16/float, D:64/float-little, _/binary>>) -> {A, B, C, D};
floats(_) -> nomatch.

float16(<<F:16/float>>) -> F;
float16(_) -> nomatch.
float32(<<F:32/float>>) -> F;
float32(_) -> nomatch.
float64(<<F:64/float>>) -> F;
float64(_) -> nomatch.

%% length-prefixed fields: size bound earlier in the pattern
lp(<<N:8, Data:N/binary, M:4, Bits:M/bitstring, Rest/bits>>) -> {N, Data, M, Bits, Rest};
lp(_) -> nomatch.

%% multiple clauses over the same binary (backtracking through positions)
cmd(<<"GET ", Path/binary>>) -> {get, Path};
cmd(<<"PUT ", Len:16, Body:Len/binary, _/binary>>) -> {put, Body};
cmd(<<"PUT ", Rest/binary>>) -> {put_short, Rest};
cmd(<<"DEL", Sp:8, Key/binary>>) when Sp =:= $\s -> {del, Key};
cmd(<<C:8, _/binary>>) when C >= $a, C =< $z -> {lower, C};
cmd(<<_:7>>) -> seven_bits;
cmd(<<>>) -> empty;
cmd(B) when is_binary(B) -> {other, byte_size(B)};
cmd(B) when is_bitstring(B) -> {bits, bit_size(B)};
cmd(_) -> not_binary.

%% same prefix, different tails
kind(<<1, 2, X:8>>) -> {a, X};
kind(<<1, 2, X:16>>) -> {b, X};
kind(<<1, Y:8, _:8>>) -> {c, Y};
kind(<<1, _/binary>>) -> d;
kind(_) -> e.

%% a TLV parser producing a list
tlv(<<>>) -> [];
tlv(<<1:8, Len:8, V:Len/binary, Rest/binary>>) -> [{bin, V} | tlv(Rest)];
tlv(<<2:8, V:32/signed, Rest/binary>>) -> [{int, V} | tlv(Rest)];
tlv(<<3:8, V:64/float, Rest/binary>>) -> [{float, V} | tlv(Rest)];
tlv(<<4:8, N:8, Rest/binary>>) ->
    {Items, Rest2} = take(N, Rest, []),
    [{list, Items} | tlv(Rest2)];
tlv(Bad) -> [{bad, Bad}].

take(0, Rest, Acc) -> {lists:reverse(Acc), Rest};
take(N, <<X:16, Rest/binary>>, Acc) -> take(N - 1, Rest, [X | Acc]).

%% bit-level loop
count_ones(<<>>, N) -> N;
count_ones(<<1:1, Rest/bits>>, N) -> count_ones(Rest, N + 1);
count_ones(<<0:1, Rest/bits>>, N) -> count_ones(Rest, N).

%% skipping
skip(<<_:3, X:5, _:16, Y/binary>>) -> {X, Y};
skip(_) -> nomatch.

skip_var(N, B) ->
    case B of
        <<_:N, X:8, _/bits>> -> {ok, X};
        _ -> nomatch
    end.

%% tail must be byte aligned
units(<<X:4, Rest/binary-unit:8>>) -> {x4, X, Rest};
units(<<X:2, Rest/binary-unit:3>>) -> {x2, X, Rest};
units(_) -> nomatch.

%% matching in a case with a binary built at runtime
sum_bytes(B) -> sum_bytes(B, 0).
sum_bytes(<<X, Rest/binary>>, Acc) -> sum_bytes(Rest, Acc + X);
sum_bytes(<<>>, Acc) -> Acc.

%% split a binary at a separator byte
split(Bin, Sep) -> split(Bin, Sep, 0).
split(Bin, Sep, N) ->
    case Bin of
        <<Head:N/binary, Sep, Tail/binary>> -> [Head | split(Tail, Sep, 0)];
        <<_:N/binary>> -> [Bin];
        _ -> split(Bin, Sep, N + 1)
    end.

%% a guard using binary size / bit_size
guarded(B) when byte_size(B) > 4 -> long;
guarded(B) when bit_size(B) rem 8 =/= 0 -> unaligned;
guarded(<<X:16>>) when X > 256 -> big16;
guarded(_) -> other.

%% string prefix with variable tail inside a list comprehension
prefixed(L) -> [R || <<"key_", R/binary>> <- L].

%% matching a sub-binary again (sub-binaries of sub-binaries)
nested(<<A:2/binary, B/binary>>) ->
    <<C:1/binary, D/binary>> = B,
    <<E:4, F:12>> = A,
    {A, B, C, D, E, F}.

main() ->
    d({ints, ints(id(<<200, 1, 2, 16#AF, 1, 2, 3, 250, 2#101_00011, "tail">>)), ints(id(<<1, 2>>))}),
    d({big, big(id(<<1:72, -5:70/signed, 2:2, -9:64/little-signed>>)), big(id(<<0:200>>))}),
    d({floats, floats(id(<<1.5/float, 2.5:32/float, 1.0:16/float, 7.25:64/float-little, 99>>))}),
    d({float_special, float16(id(<<16#7C00:16>>)), float32(id(<<16#7F800000:32>>)),
       float64(id(<<16#7FF0000000000000:64>>)), float64(id(<<16#7FF8000000000001:64>>)),
       float32(id(<<16#00000001:32>>)), float16(id(<<1:16>>)), float16(id(<<16#FBFF:16>>))}),
    d({lp, lp(id(<<3, "abc", 5:4, 19:5, 1:3, "rest">>)), lp(id(<<5, "ab">>))}),
    [d({cmd, B, cmd(id(B))}) || B <- [<<"GET /index">>, <<"PUT ", 3:16, "xyzw">>, <<"PUT ", 9:16, "ab">>,
                                     <<"DEL key">>, <<"DELxkey">>, <<"hello">>, <<1:7>>, <<>>,
                                     <<"ABC">>, <<1:13>>, not_a_binary]],
    d({kind, [kind(id(B)) || B <- [<<1, 2, 3>>, <<1, 2, 3, 4>>, <<1, 9, 9>>, <<1>>, <<2>>, <<1, 2>>]]}),
    Tlv = <<1, 3, "abc", 2, -7:32, 3, 2.5/float, 4, 3, 1:16, 2:16, 65535:16, 2, 1:32, 9, 9>>,
    d({tlv, tlv(id(Tlv))}),
    d({count_ones, count_ones(id(<<16#FF, 16#0F, 1:3>>), 0), count_ones(id(list_to_binary(lists:seq(0, 255))), 0)}),
    d({skip, skip(id(<<2#11110101, 0, 0, "yz">>)), skip(id(<<1>>))}),
    d({skip_var, [skip_var(id(N), id(<<"abcdefgh">>)) || N <- [0, 1, 4, 8, 24, 56, 57, 100]]}),
    d({units, [units(id(B)) || B <- [<<1, 2, 3>>, <<1:4, 2:4>>, <<1:5>>, <<1:8>>, <<1:2, 1:6>>, <<1:1>>]]}),
    d({sum_bytes, sum_bytes(id(list_to_binary(lists:seq(1, 200))))}),
    d({split, split(id(<<"a,bc,,def,">>), $,), split(id(<<"none">>), $,)}),
    d({guarded, [guarded(id(B)) || B <- [<<1, 2, 3, 4, 5>>, <<1:3>>, <<2, 0>>, <<0, 1>>, <<>>]]}),
    d({prefixed, prefixed(id([<<"key_a">>, <<"nokey">>, <<"key_">>, <<"key_bcd">>, <<"key">>]))}),
    d({nested, nested(id(<<16#AB, 2, 3, 4, 5>>))}),
    d({badmatch, ?T(begin <<X:8>> = id(<<1, 2>>), X end), ?T(begin <<Y:16>> = id(<<1>>), Y end)}),
    d({bin_generator, [X + Y || <<X, Y>> <= id(<<1, 2, 3, 4, 5, 6, 7>>)],
       [C || <<C:4>> <= id(<<16#12, 16#34>>), C > 1]}),
    d({match_string_var, [case id(B) of <<"abc", R/binary>> -> R; <<"ab", R/binary>> -> {ab, R}; _ -> no end
                          || B <- [<<"abcd">>, <<"abd">>, <<"xabc">>, <<"ab">>]]}),
    d({utf_in_match, [case id(B) of <<C/utf8, R/binary>> -> {C, R}; _ -> bad end
                      || B <- [<<"λx"/utf8>>, <<"ab">>, <<255, 1>>, <<>>]]}),
    ok.
