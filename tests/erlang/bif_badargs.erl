%% Differential test of BIF argument checking: every pure BIF that oxbeam
%% implements (the list below is derived from bifs/bif.tab; BIFs whose
%% result depends on the process, node or OS state are left out) is
%% applied to seeded pseudo-random argument vectors drawn from a fixed
%% corpus of bad and "almost right" terms, and the outcome is printed:
%% {ok, Value} or {Class, Reason}, never a stack trace (with
%% erlang:display/1, one line per call). Large values are
%% printed as a digest (kind and phash2); pids, refs and ports as atoms.
%% Arguments that a BIF accepted are mutated one position at a time, so
%% near misses (right type, wrong value) are tried too.
%%
%% tests/bif_badcall.rs checks that every BIF listed in bifs/0 is in
%% bifs/bif.tab.
-module(bif_badargs).
-export([main/0, corpus/0]).

-define(RANDOM, 400).
-define(SEEDS, 5).
-define(MUTATIONS, 24).

%% BEGIN BIFS (derived from bifs/bif.tab)
bifs() ->
    [
     {erlang,'+',2},
     {erlang,'-',2},
     {erlang,'*',2},
     {erlang,'/',2},
     {erlang,'div',2},
     {erlang,'rem',2},
     {erlang,'band',2},
     {erlang,'bor',2},
     {erlang,'bxor',2},
     {erlang,'bsl',2},
     {erlang,'bsr',2},
     {erlang,'bnot',1},
     {erlang,'-',1},
     {erlang,'+',1},
     {erlang,'==',2},
     {erlang,'/=',2},
     {erlang,'=:=',2},
     {erlang,'=/=',2},
     {erlang,'<',2},
     {erlang,'>',2},
     {erlang,'=<',2},
     {erlang,'>=',2},
     {erlang,'and',2},
     {erlang,'or',2},
     {erlang,'xor',2},
     {erlang,'not',1},
     {erlang,min,2},
     {erlang,max,2},
     {erlang,is_atom,1},
     {erlang,is_integer,1},
     {erlang,is_float,1},
     {erlang,is_number,1},
     {erlang,is_list,1},
     {erlang,is_tuple,1},
     {erlang,is_binary,1},
     {erlang,is_bitstring,1},
     {erlang,is_pid,1},
     {erlang,is_port,1},
     {erlang,is_reference,1},
     {erlang,is_function,1},
     {erlang,is_function,2},
     {erlang,is_map,1},
     {erlang,is_boolean,1},
     {erlang,is_record,2},
     {erlang,is_record,3},
     {erlang,abs,1},
     {erlang,trunc,1},
     {erlang,round,1},
     {erlang,floor,1},
     {erlang,ceil,1},
     {erlang,float,1},
     {erlang,element,2},
     {erlang,setelement,3},
     {erlang,tuple_size,1},
     {erlang,size,1},
     {erlang,byte_size,1},
     {erlang,bit_size,1},
     {erlang,length,1},
     {erlang,hd,1},
     {erlang,tl,1},
     {erlang,map_size,1},
     {erlang,map_get,2},
     {erlang,is_map_key,2},
     {erlang,binary_part,2},
     {erlang,binary_part,3},
     {erlang,node,1},
     {erlang,tuple_to_list,1},
     {erlang,list_to_tuple,1},
     {erlang,make_tuple,2},
     {erlang,make_tuple,3},
     {erlang,append_element,2},
     {erlang,atom_to_list,1},
     {erlang,list_to_atom,1},
     {erlang,atom_to_binary,1},
     {erlang,atom_to_binary,2},
     {erlang,binary_to_atom,1},
     {erlang,binary_to_atom,2},
     {erlang,integer_to_list,1},
     {erlang,integer_to_list,2},
     {erlang,integer_to_binary,1},
     {erlang,integer_to_binary,2},
     {erlang,list_to_integer,1},
     {erlang,list_to_integer,2},
     {erlang,binary_to_integer,1},
     {erlang,binary_to_integer,2},
     {erlang,float_to_list,1},
     {erlang,float_to_list,2},
     {erlang,float_to_binary,1},
     {erlang,float_to_binary,2},
     {erlang,list_to_float,1},
     {erlang,binary_to_float,1},
     {erlang,binary_to_list,1},
     {erlang,binary_to_list,3},
     {erlang,bitstring_to_list,1},
     {erlang,list_to_binary,1},
     {erlang,list_to_bitstring,1},
     {erlang,iolist_to_binary,1},
     {erlang,iolist_size,1},
     {erlang,split_binary,2},
     {erlang,term_to_binary,1},
     {erlang,binary_to_term,1},
     {erlang,phash2,1},
     {erlang,phash2,2},
     {erlang,phash,2},
     {erlang,error,1},
     {erlang,error,2},
     {erlang,error,3},
     {erlang,exit,1},
     {erlang,throw,1},
     {erlang,raise,3},
     {erlang,nif_error,1},
     {erlang,apply,2},
     {erlang,apply,3},
     {erlang,make_fun,3},
     {erlang,fun_info,2},
     {lists,reverse,2},
     {lists,member,2},
     {lists,keyfind,3},
     {lists,keymember,3},
     {lists,keysearch,3},
     {maps,get,2},
     {maps,find,2},
     {maps,is_key,2},
     {maps,put,3},
     {maps,remove,2},
     {maps,to_list,1},
     {maps,keys,1},
     {maps,values,1},
     {maps,from_list,1},
     {maps,merge,2},
     {maps,new,0},
     {math,sqrt,1},
     {math,sin,1},
     {math,cos,1},
     {math,tan,1},
     {math,asin,1},
     {math,acos,1},
     {math,atan,1},
     {math,sinh,1},
     {math,cosh,1},
     {math,tanh,1},
     {math,asinh,1},
     {math,acosh,1},
     {math,atanh,1},
     {math,exp,1},
     {math,log,1},
     {math,log2,1},
     {math,log10,1},
     {math,floor,1},
     {math,ceil,1},
     {math,pow,2},
     {math,atan2,2},
     {math,fmod,2},
     {erlang,'++',2},
     {erlang,'--',2},
     {erlang,delete_element,2},
     {erlang,insert_element,3},
     {erlang,md5,1},
     {erlang,crc32,1},
     {erlang,adler32,1},
     {erlang,list_to_pid,1},
     {erlang,list_to_port,1},
     {erlang,list_to_ref,1},
     {maps,take,2},
     {maps,from_keys,2},
     {erts_internal,map_next,3},
     {erlang,pid_to_list,1},
     {erlang,fun_to_list,1},
     {erlang,ref_to_list,1},
     {maps,update,3},
     {persistent_term,put,2},
     {persistent_term,get,1},
     {persistent_term,get,2},
     {persistent_term,erase,1},
     {binary,copy,1},
     {binary,copy,2},
     {unicode,characters_to_binary,2},
     {unicode,characters_to_list,2},
     {erlang,iolist_to_iovec,1},
     {erlang,term_to_binary,2},
     {erlang,term_to_iovec,1},
     {erlang,term_to_iovec,2},
     {erlang,binary_to_term,2},
     {erlang,crc32,2},
     {erlang,adler32,2},
     {erlang,bump_reductions,1},
     {binary,at,2},
     {binary,first,1},
     {binary,last,1},
     {binary,part,2},
     {binary,part,3},
     {binary,list_to_bin,1},
     {binary,referenced_byte_size,1},
     {binary,decode_unsigned,1},
     {binary,decode_unsigned,2},
     {binary,encode_unsigned,1},
     {binary,encode_unsigned,2},
     {binary,longest_common_prefix,1},
     {binary,longest_common_suffix,1},
     {binary,compile_pattern,1},
     {binary,match,2},
     {binary,match,3},
     {binary,matches,2},
     {binary,matches,3},
     {binary,split,2},
     {binary,split,3},
     {string,list_to_integer,1},
     {string,list_to_float,1},
     {io,printable_range,0},
     {unicode,bin_is_7bit,1}
    ].
%% END BIFS

main() ->
    C = list_to_tuple(corpus()),
    N = tuple_size(C),
    erlang:display({corpus, N}),
    lists:foldl(fun(MFA, S) -> run_bif(MFA, C, N, S) end, 42, bifs()),
    ok.

%% A linear congruential generator (deterministic on every VM).
next(S) -> (S * 1103515245 + 12345) band 16#7FFFFFFF.

pick(S0, N) ->
    S = next(S0),
    {(S bsr 8) rem N + 1, S}.

picks(0, _, S) -> {[], S};
picks(K, N, S0) ->
    {I, S1} = pick(S0, N),
    {Is, S2} = picks(K - 1, N, S1),
    {[I | Is], S2}.

run_bif({M, F, 0}, C, _N, S) ->
    call(M, F, [], C),
    S;
run_bif({M, F, 1}, C, N, S) ->
    [call(M, F, [I], C) || I <- lists:seq(1, N)],
    S;
run_bif({M, F, A}, C, N, S0) ->
    {Plan, S1} = random_plan(?RANDOM, A, N, S0, []),
    run_plan(Plan, M, F, A, C, N, S1, []).

random_plan(0, _, _, S, Acc) -> {lists:reverse(Acc), S};
random_plan(K, A, N, S0, Acc) ->
    {Is, S1} = picks(A, N, S0),
    random_plan(K - 1, A, N, S1, [Is | Acc]).

run_plan([], _M, _F, _A, _C, _N, S, _Seeds) -> S;
run_plan([Is | Rest], M, F, A, C, N, S0, Seeds) ->
    case call(M, F, Is, C) of
        ok when length(Seeds) < ?SEEDS ->
            case lists:member(Is, Seeds) of
                true ->
                    run_plan(Rest, M, F, A, C, N, S0, Seeds);
                false ->
                    {More, S1} = mutations(Is, A, N, S0),
                    run_plan(Rest ++ More, M, F, A, C, N, S1, [Is | Seeds])
            end;
        _ ->
            run_plan(Rest, M, F, A, C, N, S0, Seeds)
    end.

mutations(Is, A, N, S0) ->
    lists:foldl(
      fun({Pos, _}, {Acc, S}) ->
              {Js, S1} = picks(?MUTATIONS, N, S),
              {Acc ++ [setnth(Pos, Is, J) || J <- Js], S1}
      end, {[], S0}, lists:zip(lists:seq(1, A), Is)).

setnth(1, [_ | T], X) -> [X | T];
setnth(K, [H | T], X) -> [H | setnth(K - 1, T, X)].

call(M, F, Is, C) ->
    Args = [element(I, C) || I <- Is],
    R = case skip(M, F, Args) of
            true ->
                {skipped, too_large_or_local_fun};
            false ->
                try apply(M, F, Args) of
                    V -> {ok, digest(shape(M, F, V))}
                catch
                    Class:Reason -> {Class, digest(Reason)}
                end
        end,
    erlang:display({M, F, list_to_tuple(Is), R}),
    element(1, R).

%% The external format of a local fun holds its creator pid, which is not
%% the same on two VMs.
skip(erlang, F, [Fun | _]) when F =:= term_to_binary; F =:= term_to_iovec ->
    is_function(Fun) andalso erlang:fun_info(Fun, type) =:= {type, local};
%% A copy of more than 1 GB: ERTS tries to allocate it (and may abort);
%% oxbeam raises system_limit (tests/bif_badcall.rs covers that).
skip(binary, copy, [B, N]) ->
    is_binary(B) andalso is_integer(N) andalso byte_size(B) * N > 1 bsl 30;
skip(_, _, _) ->
    false.

%% Results compared by meaning only: a compiled pattern is {bm | ac, Opaque};
%% how term_to_iovec splits its output into binaries is not compared, nor
%% the bytes zlib makes of a compressed external format (what it decodes to
%% is).
shape(binary, compile_pattern, {Tag, _}) -> {Tag, compiled};
shape(erlang, term_to_iovec, V) when is_list(V) ->
    shape(erlang, term_to_binary, iolist_to_binary(V));
shape(erlang, F, <<131, 80, _/binary>> = V)
  when F =:= term_to_binary; F =:= term_to_iovec ->
    {compressed, binary_to_term(V)};
shape(_, _, V) -> V.

%% The value itself if small, else a digest; pids, refs and ports as atoms.
digest(T) ->
    case small(T, 40) of
        true -> sanitize(T);
        false -> {big, kind(T), erlang:phash2(T)}
    end.

kind(T) when is_list(T) -> list;
kind(T) when is_tuple(T) -> tuple;
kind(T) when is_map(T) -> map;
kind(T) when is_binary(T) -> binary;
kind(T) when is_bitstring(T) -> bitstring;
kind(T) when is_integer(T) -> integer;
kind(T) when is_atom(T) -> atom;
kind(_) -> other.

%% Whether T is small enough to print (a cheap bounded walk).
small(T, B) -> budget(T, B) >= 0.

budget(_, B) when B < 0 -> B;
budget(T, B) when is_list(T), T =/= [] ->
    case T of
        [H | Tl] -> budget(Tl, budget(H, B - 1));
        _ -> B - 1
    end;
budget(T, B) when is_tuple(T) ->
    lists:foldl(fun budget/2, B - 1, tuple_to_list(T));
budget(T, B) when is_map(T) ->
    case map_size(T) > B of
        true -> -1;
        false -> lists:foldl(fun({K, V}, Acc) -> budget(V, budget(K, Acc)) end,
                             B - 1, maps:to_list(T))
    end;
budget(T, B) when is_bitstring(T) -> B - 1 - bit_size(T) div 64;
budget(T, B) when is_integer(T) -> B - 1 - abs(T) div (1 bsl 200);
budget(_, B) -> B - 1.

sanitize(T) when is_pid(T) -> pid;
sanitize(T) when is_reference(T) -> ref;
sanitize(T) when is_port(T) -> port;
sanitize([H | T]) -> [sanitize(H) | sanitize(T)];
sanitize(T) when is_tuple(T) -> list_to_tuple(sanitize(tuple_to_list(T)));
sanitize(T) when is_map(T) ->
    maps:from_list([{sanitize(K), sanitize(V)} || {K, V} <- maps:to_list(T)]);
sanitize(T) -> T.

corpus() ->
    Ints = [0, 1, 2, 3, 4, 7, 8, 16, 32, 36, 37, 64, 255, 256, 1000, 65535,
            16#D800, 16#10FFFF, 16#110000, -1, -2, -8, -255, -65536,
            1 bsl 24, 1 bsl 32, 1 bsl 40, (1 bsl 59) - 1, -(1 bsl 59),
            1 bsl 59, -(1 bsl 59) - 1, 1 bsl 64, -(1 bsl 64),
            (1 bsl 63) - 1, (1 bsl 100) + 12345, 1 bsl 10000, -(1 bsl 10000)],
    Floats = [0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 3.0e10, 1.0e308, -1.0e308,
              5.0e-324, 1.0e-300, 1.0e16, 9007199254740993.0, 3.141592653589793],
    Atoms = [true, false, undefined, '', ok, error, a, b, x,
             'ĳs_ünïcödé', latin1, utf8, unicode, utf16, utf32, little, big,
             compressed, safe, used, global, trim, trim_all, short, compact,
             deterministic, infinity, erlang, lists, maps, binary, reverse, '+',
             arity, env, name, module, type, pid, index, new_index, uniq,
             new_uniq, local, external, tail],
    Strings = ["abc", "hello world", "123", "-42", "+7", "1.5", "-2.0e3",
               "1.0e400", "ff", "<0.1.0>", "<0.4294967296.0>", "<1.2.3>",
               "#Ref<0.1.2.3>", "#Ref<0.4294967296.2.3>", "#Port<0.5>",
               [16#133, 16#2603], "A=B", " 12", "1_000", "2#101", "0.5e-3",
               "1.", ".5", "1e5", "-0.0"],
    Lists = [[], [1, 2, 3], [1, 2 | b], [a | b], [1 | 2],
             [97, 256], [97, -1], [97, 16#110000], [97, 16#D800], [97, 16#10FFFF],
             [1.0], [[1, <<"xy">>], 2, 255 | <<"xy">>], [1, <<5:3>>],
             [I rem 300 || I <- lists:seq(0, 9999)],
             [97 + I rem 26 || I <- lists:seq(0, 4999)],
             deep(2000), [{a, 1}, {b, 2}, {c, 3}], [{1, 2, 3}], [{a, 1}, {a, 2}],
             [compressed], [safe], [used], [global], [trim], [trim_all],
             [compact], [short], [deterministic], [foo], [safe, used],
             [{compressed, 6}], [{compressed, 10}], [{minor_version, 0}],
             [{minor_version, 2}], [{minor_version, 3}], [{parts, 2}],
             [{parts, -1}], [{decimals, 4}], [{decimals, 300}],
             [{scientific, 3}], [{scientific, 300}], [{base, 16}],
             [{scope, {0, 1}}], [{scope, {1, -1}}], [{scope, {10, 10}}],
             [{scope, {0, 1 bsl 40}}], [{scope, {2, 1}}, global],
             [<<"a">>, <<"b">>, <<>>], [<<"a">>], [<<>>], [<<"b">>, <<",">>],
             [[]], [[1, 2], [3]], [$a, [$b, [$c]]]],
    Tuples = [{}, {a}, {a, b}, {1, 2}, {0, 0}, {0, 1}, {0, 3}, {1, 1},
              {0, -1}, {-1, 1}, {2, 1}, {3, -3}, {2, 100}, {1, 1 bsl 64},
              {utf16, little}, {utf32, big}, {utf16, middle}, {compressed, 3},
              {'EXIT', x}, {a, 1}, list_to_tuple(lists:seq(0, 999))],
    Maps = [#{}, #{a => 1, b => 2}, #{1 => x, 1.0 => y},
            maps:from_list([{I, -I} || I <- lists:seq(0, 99)]),
            maps:from_list([{I, -I} || I <- lists:seq(0, 1999)])],
    Refc = list_to_binary([I rem 251 || I <- lists:seq(0, 999)]),
    <<_:3/binary, Sub:50/binary, _/binary>> = Refc,
    <<_:3, Unal:12/binary, _/bits>> = Refc,
    <<_:5, UnalBits:100/bits, _/bits>> = Refc,
    Bins = [<<>>, <<"abc">>, <<0, 255>>, <<"123">>, <<"-42">>, <<"1.5">>,
            <<"1.0e10">>, <<"ff">>, <<"héllo"/utf8>>, <<255, 254, 195>>,
            <<237, 160, 128>>, <<"a", 0, "b">>, <<0, $a, 0, $b>>, <<",">>,
            <<"b">>, binary:copy(<<"z">>, 64), Refc, Sub, Unal, UnalBits,
            <<5:3>>, <<1, 2, 1:7>>],
    Sample = [{a, 1}, {b, 2}, {c, 3} | tail],
    Enc = term_to_binary(Sample),
    EncZ = term_to_binary(Sample, [compressed]),
    Etf = [Enc, binary:part(Enc, 0, byte_size(Enc) div 2), EncZ,
           binary:part(EncZ, 0, byte_size(EncZ) - 3),
           <<131, 100, 0, 5, $a, $b>>, <<131, 80, 0, 0, 0, 0>>,
           <<131, 80, 255, 255, 255, 255, 120, 156>>,
           <<131, 108, 255, 255, 255, 255, 106>>, <<131, 104, 0>>,
           <<131, 110, 255, 255, 0, 1>>, <<131, 111, 255, 255, 255, 255, 0>>,
           <<131, 116, 255, 255, 255, 255>>, <<131, 109, 255, 255, 255, 255>>,
           <<131, 77, 0, 0, 0, 1, 9, 1>>, <<131, 97>>, <<130, 97, 1>>,
           <<131, 118, 0, 3, 255, 254, 253>>,
           <<131, 113, 100, 0, 1, $m, 100, 0, 1, $f, 97, 255>>,
           <<131, 100, 0, 4, "tail">>, <<131, 119, 1, 200>>],
    Funs = [fun(X) -> X end, fun erlang:'+'/2, fun lists:reverse/1,
            fun nonexistent_module_xyz:f/0],
    Ids = [list_to_pid("<0.1.0>"), list_to_port("#Port<0.5>"),
           list_to_ref("#Ref<0.1.2.3>")],
    Ints ++ Floats ++ Atoms ++ Strings ++ Lists ++ Tuples ++ Maps ++ Bins
        ++ Etf ++ Funs ++ Ids.

deep(0) -> [];
deep(N) -> [deep(N - 1), N rem 10].
