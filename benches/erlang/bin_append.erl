%% Binary append loops: builds multi-megabyte binaries by appending to an
%% accumulator (`<<Acc/binary, ...>>`, amortised O(1) per byte in ERTS
%% through writable binaries): single bytes, small integers, bits, copied
%% chunks, and a binary comprehension; displays sizes and a hash.
-module(bin_append).
-export([main/0, run/1]).

main() -> run(2000000).

run(N) ->
    Bytes = bytes(<<>>, N),
    Words = words(<<>>, N div 4),
    Bits = bits(<<>>, N),
    Chunks = chunks(<<>>, N div 64, binary:copy(<<"0123456789abcdef">>, 4)),
    Compr = << <<(I band 16#FFFF):16>> || I <- lists:seq(1, N div 2) >>,
    erlang:display({bin_append, N,
                    [{byte_size(B), bit_size(B) rem 8, erlang:phash2(B)}
                     || B <- [Bytes, Words, Bits, Chunks, Compr]],
                    erlang:md5(Bytes)}).

bytes(Acc, 0) -> Acc;
bytes(Acc, N) -> bytes(<<Acc/binary, (N band 255)>>, N - 1).

words(Acc, 0) -> Acc;
words(Acc, N) -> words(<<Acc/binary, N:32/little>>, N - 1).

bits(Acc, 0) -> Acc;
bits(Acc, N) -> bits(<<Acc/bitstring, (N band 7):3>>, N - 1).

chunks(Acc, 0, _) -> Acc;
chunks(Acc, N, C) -> chunks(<<Acc/binary, C/binary, N:8>>, N - 1, C).
