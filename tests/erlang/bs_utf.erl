%% UTF-8/16/32 segments in construction and matching (both endiannesses),
%% invalid code points, and unicode module conversions.
-module(bs_utf).
-export([main/0, id/1]).

-define(T(E), t(fun() -> E end)).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

cps() -> [0, $a, 16#7F, 16#80, 16#7FF, 16#800, 16#FFFF, 16#10000, 16#10FFFF, 16#D7FF, 16#E000, 955, 8364].

enc(C) ->
    {C, ?T(<<C/utf8>>), ?T(<<C/utf16>>), ?T(<<C/utf16-little>>), ?T(<<C/utf32>>), ?T(<<C/utf32-little>>)}.

dec8(<<C/utf8, R/binary>>, Acc) -> dec8(R, [C | Acc]);
dec8(<<>>, Acc) -> lists:reverse(Acc);
dec8(Bad, Acc) -> {error, lists:reverse(Acc), Bad}.

dec16(<<C/utf16, R/binary>>, Acc) -> dec16(R, [C | Acc]);
dec16(<<>>, Acc) -> lists:reverse(Acc);
dec16(Bad, Acc) -> {error, lists:reverse(Acc), Bad}.

dec16le(<<C/utf16-little, R/binary>>, Acc) -> dec16le(R, [C | Acc]);
dec16le(<<>>, Acc) -> lists:reverse(Acc);
dec16le(Bad, Acc) -> {error, lists:reverse(Acc), Bad}.

dec32(<<C/utf32, R/binary>>, Acc) -> dec32(R, [C | Acc]);
dec32(<<>>, Acc) -> lists:reverse(Acc);
dec32(Bad, Acc) -> {error, lists:reverse(Acc), Bad}.

dec32le(<<C/utf32-little, R/binary>>, Acc) -> dec32le(R, [C | Acc]);
dec32le(<<>>, Acc) -> lists:reverse(Acc);
dec32le(Bad, Acc) -> {error, lists:reverse(Acc), Bad}.

%% skip a utf8 char without binding it
skip8(<<_/utf8, R/binary>>, N) -> skip8(R, N + 1);
skip8(_, N) -> N.
skip16(<<_/utf16, R/binary>>, N) -> skip16(R, N + 1);
skip16(_, N) -> N.
skip32(<<_/utf32, R/binary>>, N) -> skip32(R, N + 1);
skip32(_, N) -> N.

main() ->
    [d({enc, enc(id(C))}) || C <- cps()],
    d({enc_invalid, [enc(id(C)) || C <- [16#D800, 16#DFFF, 16#110000, -1, a]]}),
    S = [$h, 233, 955, 8364, 16#1F600, $!],
    B8 = << <<C/utf8>> || C <- S >>,
    B16 = << <<C/utf16>> || C <- S >>,
    B16L = << <<C/utf16-little>> || C <- S >>,
    B32 = << <<C/utf32>> || C <- S >>,
    B32L = << <<C/utf32-little>> || C <- S >>,
    d({encoded, B8, B16, B16L, B32, B32L}),
    d({decoded, dec8(id(B8), []), dec16(id(B16), []), dec16le(id(B16L), []), dec32(id(B32), []), dec32le(id(B32L), [])}),
    d({invalid8, [dec8(id(B), []) || B <- [<<16#C0, 16#80>>, <<16#E0, 16#80, 16#80>>, <<16#ED, 16#A0, 16#80>>,
                                            <<16#F4, 16#90, 16#80, 16#80>>, <<16#F8, 1>>, <<"ok", 16#E2, 16#82>>,
                                            <<16#FF>>, <<16#C3>>, <<1:7>>]]}),
    d({invalid16, [dec16(id(B), []) || B <- [<<16#D8, 16#00>>, <<16#DC, 16#00, 0, 65>>, <<16#D8, 16#3D, 0, 65>>, <<0>>]]}),
    d({invalid32, [dec32(id(B), []) || B <- [<<0, 16#11, 0, 0>>, <<0, 0, 16#D8, 0>>, <<0, 0, 0>>]]}),
    d({skip, skip8(id(B8), 0), skip16(id(B16), 0), skip32(id(B32), 0), skip8(id(<<"ab", 255>>), 0)}),
    d({unicode_b, unicode:characters_to_binary(id(S)), unicode:characters_to_binary(id(S), unicode, utf16),
       unicode:characters_to_binary(id(S), unicode, {utf32, little}),
       unicode:characters_to_binary(id([<<"abc">>, 955, [$x, <<"é"/utf8>>]]))}),
    d({unicode_l, unicode:characters_to_list(id(B8)), unicode:characters_to_list(id(B16), utf16),
       unicode:characters_to_list(id(<<"caf", 233>>), latin1)}),
    d({unicode_err, unicode:characters_to_binary(id(<<"ab", 255, "c">>)), unicode:characters_to_list(id(<<"ab", 16#E2, 16#82>>)),
       unicode:characters_to_binary(id([97, 16#D800])), ?T(unicode:characters_to_binary(id(a)))}),
    d({latin1, unicode:characters_to_binary(id("abc" ++ [255]), latin1, utf8), unicode:characters_to_binary(id([256]), unicode, latin1)}),
    d({bom, unicode:encoding_to_bom(utf8), unicode:encoding_to_bom({utf16, little}), unicode:bom_to_encoding(<<16#FE, 16#FF, 0>>)}),
    d({normalize, unicode:characters_to_nfd_binary(id(<<"é"/utf8>>)), unicode:characters_to_nfc_list(id([$e, 16#301])),
       unicode:characters_to_nfkc_list(id([16#FB01]))}),
    d({utf8_list, binary_to_list(<<"é"/utf8>>), unicode:characters_to_list(<<"日本語"/utf8>>), <<"日本語"/utf8>>}),
    d({atom_utf8, atom_to_binary(id('λ')), binary_to_atom(id(<<"ü"/utf8>>)), atom_to_list(id('日本')),
       ?T(atom_to_binary(id('λ'), latin1)), list_to_atom(id([955, 955]))}),
    ok.
