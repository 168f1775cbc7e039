%% Binary append edge cases: writable binaries shared, re-appended to,
%% matched, sent, stored, with bit-level and large appends.
-module(bs_append_edge).
-export([main/0]).

d(X) -> erlang:display(X).
id(X) -> X.
t(F) -> try F() catch C:R -> {C, R} end.

app(Acc, 0) -> Acc;
app(Acc, N) -> app(<<Acc/binary, (N band 255)>>, N - 1).

app_bits(Acc, 0) -> Acc;
app_bits(Acc, N) -> app_bits(<<Acc/bitstring, (N band 7):3>>, N - 1).

main() ->
    %% Two appends to the same accumulator must not see each other.
    A = app(<<>>, 100),
    B1 = <<A/binary, "one">>,
    B2 = <<A/binary, "two">>,
    B3 = <<B1/binary, "three">>,
    d({fork, byte_size(A), binary:part(B1, 100, 3), binary:part(B2, 100, 3), binary:part(B3, 100, 8),
       erlang:phash2(A), erlang:phash2(B1), erlang:phash2(B2), erlang:phash2(B3)}),
    %% Old values stay unchanged while the binary grows.
    Olds = lists:foldl(fun(I, [H | _] = L) -> [<<H/binary, I:16>> | L] end, [<<"x">>], lists:seq(1, 2000)),
    d({olds, [byte_size(O) || O <- lists:sublist(Olds, 5)], erlang:phash2(Olds)}),
    %% Bit-level appends, then byte appends on top of an unaligned accumulator.
    Bits = app_bits(<<1:1>>, 999),
    d({bits, bit_size(Bits), erlang:phash2(Bits)}),
    Mixed = <<Bits/bitstring, 16#ABCD:16, (app(<<>>, 300))/binary>>,
    d({mixed, bit_size(Mixed), erlang:phash2(Mixed)}),
    %% Matching a writable binary, including its whole tail.
    <<H:8, T/binary>> = A,
    <<All/binary>> = A,
    d({match, H, byte_size(T), All =:= A, erlang:phash2(T)}),
    A2 = <<A/binary, 7>>,
    d({after_match, byte_size(All), byte_size(A2), binary:last(A2), All =:= A}),
    %% Sending and storing while the sender keeps appending.
    self() ! {msg, A2},
    A3 = app(A2, 5000),
    Back = receive {msg, Rx} -> <<Rx/binary, "rx">> end,
    d({sent, byte_size(Back), binary:part(Back, byte_size(Back), -3), byte_size(A3), erlang:phash2(A3)}),
    put(k, A3),
    A4 = <<A3/binary, "more">>,
    d({dict, byte_size(get(k)), byte_size(A4)}),
    self() ! {store, A4},
    A5 = <<A4/binary, "evenmore">>,
    Stored = receive {store, St} -> St end,
    d({stored, byte_size(Stored), byte_size(A5), <<Stored/binary, "x">> =:= <<A4/binary, "x">>}),
    %% Garbage collections in between appends.
    G = lists:foldl(fun(I, Acc) -> case I rem 500 of 0 -> erlang:garbage_collect(); _ -> ok end,
                                  <<Acc/binary, I:32>> end, <<>>, lists:seq(1, 20000)),
    d({gc, byte_size(G), erlang:phash2(G), binary:referenced_byte_size(id(<<1,2,3>>))}),
    %% Appending nothing, appending to literals and to sub binaries.
    E = <<A/binary>>,
    L = <<"literal binary literal binary literal binary literal binary literal binary">>,
    L2 = <<L/binary, "!">>,
    <<_:3/binary, Sub/binary>> = L2,
    S2 = <<Sub/binary, "?">>,
    d({misc, E =:= A, byte_size(L2), S2, <<(id(<<>>))/binary>>}),
    %% Errors.
    d({errors, t(fun() -> <<(id(<<1:1>>))/binary, 1>> end), t(fun() -> <<(id(atom))/binary, 1>> end),
       t(fun() -> <<(id(<<1>>))/binary, (id(x)):8>> end)}),
    %% Comprehensions (bs_init_writable + private_append).
    C = << <<Y:8>> || Y <- lists:seq(1, 255) >>,
    C2 = << <<Y:3>> || Y <- lists:seq(1, 100) >>,
    C3 = << <<B/binary, B/binary>> || B <- [<<"ab">>, <<"cd">>, C] >>,
    d({compr, erlang:phash2(C), bit_size(C2), erlang:phash2(C2), byte_size(C3), erlang:phash2(C3)}),
    ok.
