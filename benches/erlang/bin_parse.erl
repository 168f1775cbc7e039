%% Bit-syntax parsing loop: builds a binary of N variable-length records
%% (header with type and length, integer/float/string payloads), then parses
%% it several times, summing the fields.
-module(bin_parse).
-export([main/0, run/1]).

main() -> run(500000).

run(N) ->
    Bin = build(N),
    R = parse_times(8, Bin, undefined),
    erlang:display({bin_parse, N, byte_size(Bin), R}).

lcg(X) -> (X * 1103515245 + 12345) band 16#7FFFFFFF.

build(N) -> build(N, 1, []).
build(0, _, Acc) -> list_to_binary(Acc);
build(N, S, Acc) ->
    S1 = lcg(S),
    Rec = case S1 rem 4 of
              0 -> <<1:4, 0:4, (S1 band 16#FFFF):16, (S1 bsr 8):32/little>>;
              1 -> <<2:4, 0:4, (S1 rem 1000 / 7)/float>>;
              2 -> Len = S1 rem 20,
                   Str = binary:part(<<"abcdefghijklmnopqrstuvwxyz">>, 0, Len),
                   <<3:4, 0:4, Len:8, Str/binary>>;
              3 -> <<4:4, (S1 band 15):4, (S1 band 16#FFFFFF):24/signed>>
          end,
    build(N - 1, S1, [Rec | Acc]).

parse_times(0, _, R) -> R;
parse_times(K, Bin, _) -> parse_times(K - 1, Bin, parse(Bin, 0, 0, 0.0, 0)).

parse(<<1:4, _:4, A:16, B:32/little, Rest/binary>>, Count, ISum, FSum, SLen) ->
    parse(Rest, Count + 1, (ISum + A + B) band 16#FFFFFFFFFFFF, FSum, SLen);
parse(<<2:4, _:4, F/float, Rest/binary>>, Count, ISum, FSum, SLen) ->
    parse(Rest, Count + 1, ISum, FSum + F, SLen);
parse(<<3:4, _:4, Len:8, Str:Len/binary, Rest/binary>>, Count, ISum, FSum, SLen) ->
    parse(Rest, Count + 1, ISum, FSum, SLen + byte_size(Str));
parse(<<4:4, Small:4, V:24/signed, Rest/binary>>, Count, ISum, FSum, SLen) ->
    parse(Rest, Count + 1, (ISum + Small + V) band 16#FFFFFFFFFFFF, FSum, SLen);
parse(<<>>, Count, ISum, FSum, SLen) ->
    {Count, ISum, round(FSum), SLen}.
