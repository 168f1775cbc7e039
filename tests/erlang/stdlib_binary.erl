%% The binary module: match/matches/split/replace (with compiled patterns),
%% part, copy, bin_to_list, encode/decode_unsigned, longest common
%% prefix/suffix, at, first/last, hex encoding.
-module(stdlib_binary).
-export([main/0, id/1]).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

main() ->
    B = id(<<"the quick brown fox jumps over the lazy dog">>),
    d({match, binary:match(B, <<"o">>), binary:match(B, [<<"fox">>, <<"dog">>]), binary:match(B, <<"cat">>),
       binary:match(B, <<"the">>, [{scope, {1, 40}}]), binary:match(B, [<<"qu">>, <<"quick">>])}),
    d({matches, binary:matches(B, <<"o">>), binary:matches(B, [<<"the">>, <<"e">>]), binary:matches(<<"aaaa">>, <<"aa">>)}),
    CP = binary:compile_pattern([<<" ">>, <<"o">>]),
    d({compiled, binary:match(B, CP), length(binary:matches(B, CP)), binary:split(B, CP, [global])}),
    d({split, binary:split(B, <<" ">>), binary:split(B, <<" ">>, [global]), binary:split(<<",a,,b,">>, <<",">>, [global, trim]),
       binary:split(<<",a,,b,">>, <<",">>, [global, trim_all]), binary:split(<<"abc">>, <<"x">>)}),
    d({replace, binary:replace(B, <<"o">>, <<"0">>), binary:replace(B, <<"o">>, <<"0">>, [global]),
       binary:replace(<<"a-b-c">>, <<"-">>, <<"[]">>, [global, {insert_replaced, 1}]), binary:replace(B, [<<"the">>, <<"fox">>], <<"X">>, [global])}),
    d({part, binary:part(B, 4, 5), binary:part(B, {byte_size(B), -3}), t(fun() -> binary:part(B, 40, 10) end)}),
    d({copy, binary:copy(<<"ab">>, 3), binary:copy(<<>>, 5), binary:copy(<<"x">>, 0)}),
    d({to_list, binary:bin_to_list(<<"abc">>), binary:bin_to_list(B, 4, 5), binary:list_to_bin([1, [2, <<3>>]])}),
    d({unsigned, binary:encode_unsigned(0), binary:encode_unsigned(256), binary:encode_unsigned(1 bsl 64, little),
       binary:decode_unsigned(<<1, 0>>), binary:decode_unsigned(<<1, 0>>, little), binary:decode_unsigned(<<255, 255, 255, 255, 255, 255, 255, 255, 255>>)}),
    d({longest, binary:longest_common_prefix([<<"foobar">>, <<"foobaz">>, <<"foo">>]), binary:longest_common_suffix([<<"testing">>, <<"ring">>]),
       binary:longest_common_prefix([<<"a">>, <<"b">>])}),
    d({at, binary:at(B, 0), binary:at(B, 42), t(fun() -> binary:at(B, 43) end), binary:first(B), binary:last(B)}),
    d({hex, binary:encode_hex(<<1, 171, 255>>), binary:decode_hex(<<"01abFF">>), t(fun() -> binary:decode_hex(<<"0">>) end)}),
    d({referenced, binary:referenced_byte_size(binary:part(binary:copy(<<"x">>, 1000), 10, 10)) >= 10}),
    d({big, length(binary:matches(binary:copy(<<"abcab">>, 10000), <<"ab">>)),
       byte_size(binary:replace(binary:copy(<<"xy">>, 10000), <<"x">>, <<"zz">>, [global]))}),
    d({errors, t(fun() -> binary:match(B, <<>>) end), t(fun() -> binary:split(id(notbin), <<",">>) end),
       t(fun() -> binary:copy(<<"a">>, -1) end)}),
    ok.
