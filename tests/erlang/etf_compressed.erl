%% term_to_binary with compression must be byte-identical to stock ERTS
%% (zlib deflate, level = the {compressed, N} level, 6 for `compressed`),
%% across levels 0..9 and many kinds and sizes of terms (random and highly
%% repetitive binaries, lists, maps, big terms spanning many deflate
%% blocks); binary_to_term must round-trip them and reject corrupt
%% compressed data.
-module(etf_compressed).
-export([main/0]).

d(X) -> erlang:display(X).
t(F) -> try F() catch C:R -> {caught, C, R} end.

lcg(S) -> (S * 6364136223846793005 + 1442695040888963407) band 16#FFFFFFFFFFFFFFFF.

rbin(0, S, Acc) -> {list_to_binary(Acc), S};
rbin(N, S, Acc) -> S1 = lcg(S), rbin(N - 1, S1, [(S1 bsr 56) band 255 | Acc]).

term(I) ->
    S = lcg(I + 1),
    case I rem 8 of
        0 -> lists:seq(1, I * 7);
        1 -> {element(1, rbin(I * 13, S, [])), list_to_atom("atom_" ++ integer_to_list(I))};
        2 -> [{N, integer_to_list(N), float(N) / 7} || N <- lists:seq(1, I)];
        3 -> maps:from_list([{N, <<N:32>>} || N <- lists:seq(1, I * 3)]);
        4 -> binary:copy(<<"abc", I:16>>, I * 11);
        5 -> {element(1, rbin(I * 97, S, [])), binary:copy(<<I>>, I * 50)};
        6 -> [lists:duplicate(I rem 17, x), {node(), 3.5}, "some string", 1 bsl (I * 3)];
        7 -> lists:append([integer_to_list(N) ++ ", " || N <- lists:seq(I, I * 5)])
    end.

main() ->
    %% Every level on small and mid-sized terms: digests of the encodings.
    [d({I, erlang:md5([term_to_binary(T, [{compressed, L}]) || L <- lists:seq(0, 9)]),
        byte_size(term_to_binary(T, [compressed])),
        binary_to_term(term_to_binary(T, [compressed])) =:= T})
     || I <- lists:seq(1, 80), T <- [term(I)]],
    %% Shown in full for a few terms.
    [d({full, L, term_to_binary(term(9), [{compressed, L}])}) || L <- [0, 1, 6, 9]],
    d({full, default, term_to_binary(lists:seq(1, 40), [compressed])}),
    %% Large terms (several deflate blocks).
    Big = [{element(1, rbin(100000, 42, [])), binary:copy(<<"0123456789">>, 100000)},
           lists:seq(1, 100000), [integer_to_list(N) || N <- lists:seq(1, 20000)]],
    [d({big, erlang:md5(term_to_binary(B, [{compressed, L}])), byte_size(term_to_binary(B, [{compressed, L}]))})
     || B <- Big, L <- [1, 6, 9]],
    d({big_roundtrip, [binary_to_term(term_to_binary(B, [compressed])) =:= B || B <- Big]}),
    %% Not compressed when it would not be smaller.
    d({small, term_to_binary(a, [compressed]), term_to_binary(<<1, 2, 3>>, [{compressed, 9}]),
       term_to_binary(element(1, rbin(200, 7, [])), [compressed]) =:= term_to_binary(element(1, rbin(200, 7, [])))}),
    %% Corrupt compressed data.
    C = term_to_binary(binary:copy(<<"ab">>, 200), [compressed]),
    <<131, 80, Size:32, Z/binary>> = C,
    d({corrupt,
       t(fun() -> binary_to_term(<<131, 80, (Size + 1):32, Z/binary>>) end),
       t(fun() -> binary_to_term(<<131, 80, (Size - 1):32, Z/binary>>) end),
       t(fun() -> binary_to_term(<<131, 80, Size:32, (binary:part(Z, 0, byte_size(Z) - 3))/binary>>) end),
       t(fun() -> binary_to_term(<<131, 80, Size:32, (binary:part(Z, 0, 10))/binary, 0, (binary:part(Z, 11, byte_size(Z) - 11))/binary>>) end),
       t(fun() -> binary_to_term(<<131, 80, 16#7FFFFFFF:32, Z/binary>>) end),
       t(fun() -> binary_to_term(<<131, 80, Size:32>>) end),
       binary_to_term(<<C/binary, "trailing">>, [used])}),
    ok.
