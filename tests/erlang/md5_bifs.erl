%% erlang:md5/1 and the incremental md5_init/0, md5_update/2, md5_final/1
%% (contexts are ERTS's 88-byte MD5_CTX images; the unused tail of the
%% input buffer is uninitialised memory in ERTS, so only state and bit
%% count are shown), and module_info(md5).
-module(md5_bifs).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).
t(F) -> try F() catch C:R -> {caught, C, R} end.
ctx(C) -> binary:part(C, 0, 24).

main() ->
    Data = [<<>>, <<"abc">>, "message digest", [<<"ab">>, $c, [[<<"de">>]]],
            list_to_binary(lists:seq(0, 255)), binary:copy(<<"x">>, 1000)],
    d({md5, [erlang:md5(D) || D <- Data]}),
    C0 = erlang:md5_init(),
    d({init, byte_size(C0), ctx(C0)}),
    C1 = erlang:md5_update(C0, <<"abc">>),
    d({update, ctx(C1)}),
    C2 = erlang:md5_update(C1, binary:copy(<<"0123456789">>, 13)),
    d({update2, ctx(C2)}),
    d({final, erlang:md5_final(C2), erlang:md5(["abc", binary:copy(<<"0123456789">>, 13)])}),
    %% Splitting the input anywhere gives the same digest.
    Long = list_to_binary([I rem 251 || I <- lists:seq(1, 3000)]),
    d({splits, lists:usort([erlang:md5_final(erlang:md5_update(erlang:md5_update(erlang:md5_init(),
                                binary:part(Long, 0, S)), binary:part(Long, S, 3000 - S)))
                            || S <- [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 2999, 3000]])
               =:= [erlang:md5(Long)]}),
    d({any_ctx, erlang:md5_final(<<1:88/unit:8>>), ctx(erlang:md5_update(<<7:88/unit:8>>, "x"))}),
    d({errors, t(fun() -> erlang:md5(id(a)) end), t(fun() -> erlang:md5_update(id(<<1, 2>>), "x") end),
       t(fun() -> erlang:md5_update(C0, id([a])) end), t(fun() -> erlang:md5_final(id(<<1:87/unit:8>>)) end),
       t(fun() -> erlang:md5_final(id(<<1:705>>)) end)}),
    %% The module checksum, also the uniq of the module's funs.
    d({module_md5, [M:module_info(md5) || M <- [?MODULE, lists, maps, proplists, string]],
       erlang:phash2(fun(X) -> X + 1 end)}),
    ok.
