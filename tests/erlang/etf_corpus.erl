%% Differential corpus for oxbeam's term order, hashing and external term
%% format (tests/etf_check.rs).
%%
%% etf_corpus:main([OutDir, Seed, NFiles, TermsPerFile]) writes, for every
%% corpus NAME:
%%   NAME.bin       term_to_binary(L) of the list L of terms
%%   NAME.expected  what `oxbeam etf check NAME.bin` must print (computed here,
%%                  on stock ERTS)
%%   NAME.x.expected  what `oxbeam etf check --extra NAME.bin` must print
%%   NAME.terms     the terms, one per line (~p), to debug a mismatch
%% Some corpora also get a compressed variant NAMEz.bin (same expected
%% output). Random corpora are seeded, so a failure is reproducible.
-module(etf_corpus).
-compile({nowarn_deprecated_function, [{erlang, phash, 2}]}).
-export([main/1, expected/2, expected_extra/1, hex/1, edge_terms/0,
         random_terms/2, bench_corpus/0, verify_reencoded/2]).

main([OutDir, SeedS, NFilesS, NTermsS]) ->
    Seed = list_to_integer(SeedS),
    NFiles = list_to_integer(NFilesS),
    NTerms = list_to_integer(NTermsS),
    ok = filelib:ensure_dir(filename:join(OutDir, "x")),
    write(OutDir, "edge", edge_terms(), true, true),
    write(OutDir, "deep", deep_terms(), false, false),
    write(OutDir, "funs", fun_terms(), false, true),
    write(OutDir, "cmp", cmp_terms(), false, false),
    write(OutDir, "sorted", sorted_terms(Seed), false, false),
    lists:foreach(
      fun(I) ->
              rand:seed(exsss, {Seed, I, 12345}),
              Terms = random_terms(NTerms, I),
              write(OutDir, "rand" ++ integer_to_list(I), Terms, I =:= 1, I =:= 1)
      end, lists:seq(1, NFiles)),
    ok.

write(Dir, Name, Terms, Compressed, Extra) ->
    Base = filename:join(Dir, Name),
    ok = file:write_file(Base ++ ".bin", term_to_binary(Terms)),
    Exp = expected(Terms, false),
    ok = file:write_file(Base ++ ".expected", Exp),
    case Extra of
        false -> ok;
        true -> ok = file:write_file(Base ++ ".x.expected", expected(Terms, true))
    end,
    ok = file:write_file(Base ++ ".terms",
                         [io_lib:format("~w: ~W~n", [I, T, 15])
                          || {I, T} <- lists:zip(lists:seq(0, length(Terms) - 1), Terms)]),
    case Compressed of
        true ->
            ok = file:write_file(Base ++ "z.bin", term_to_binary(Terms, [compressed])),
            ok = file:write_file(Base ++ "z.expected", Exp),
            ok = file:write_file(Base ++ "z.terms", []);
        false -> ok
    end.

%% The lines `oxbeam etf check` prints: phash2<TAB>hex(term_to_binary(T)) per
%% term, then cmp<TAB>I<TAB>lt|eq|gt<TAB>true|false for adjacent pairs.
%% With Extra, each term line also carries phash/2 (as make_hash), the
%% minor_version 0 and 2 encodings and the deterministic encoding.
expected(Terms, Extra) ->
    [[term_line(T, Extra) || T <- Terms], cmp_lines(Terms, 0)].

expected_extra(Terms) -> expected(Terms, true).

term_line(T, false) ->
    [integer_to_list(erlang:phash2(T)), $\t, hex(term_to_binary(T)), $\n];
term_line(T, true) ->
    [integer_to_list(erlang:phash2(T)), $\t, hex(term_to_binary(T)),
     $\t, integer_to_list(erlang:phash(T, 1 bsl 32) - 1),
     $\t, integer_to_list(erlang:phash2(T, 1000003)),
     $\t, hex(term_to_binary(T, [{minor_version, 0}])),
     $\t, hex(term_to_binary(T, [{minor_version, 2}])),
     $\t, hex(term_to_binary(T, [deterministic])),
     $\n].

cmp_lines([A, B | Rest], I) ->
    R = if A < B -> "lt"; A == B -> "eq"; true -> "gt" end,
    [["cmp\t", integer_to_list(I), $\t, R, $\t, atom_to_list(A =:= B), $\n]
     | cmp_lines([B | Rest], I + 1)];
cmp_lines(_, _) -> [].

hex(Bin) -> << <<(hexdig(N))>> || <<N:4>> <= Bin >>.
hexdig(N) when N < 10 -> $0 + N;
hexdig(N) -> $a + N - 10.

%% Used by the test after `oxbeam etf check --reencode OUT`: stock ERTS must
%% decode what oxbeam encoded (compressed or not) to the same list.
verify_reencoded(Orig, Out) ->
    {ok, A} = file:read_file(Orig),
    {ok, B} = file:read_file(Out),
    case binary_to_term(A) =:= binary_to_term(B) of
        true -> io:format("same~n");
        false -> io:format("DIFFERENT~n")
    end.

%% ---------------------------------------------------------------------------
%% Hand-picked edge cases. Pairs that should be compared are adjacent.

neg_zero() -> <<F/float>> = <<1:1, 0:63>>, F.
pos_zero() -> <<F/float>> = <<0:64>>, F.
float_bits(I) -> <<F/float>> = <<I:64>>, F.

edge_terms() ->
    NZ = neg_zero(),
    PZ = pos_zero(),
    Ints = [0, 1, -1, 2, 127, 128, 255, 256, -255, -256, 65535, 65536,
            (1 bsl 27) - 1, 1 bsl 27, -(1 bsl 27), -(1 bsl 27) - 1,
            (1 bsl 31) - 1, 1 bsl 31, -(1 bsl 31), -(1 bsl 31) - 1,
            (1 bsl 32) - 1, 1 bsl 32, -(1 bsl 32), (1 bsl 32) + 1,
            (1 bsl 59) - 1, 1 bsl 59, (1 bsl 59) + 1,
            -(1 bsl 59), -(1 bsl 59) - 1, -(1 bsl 59) + 1,
            (1 bsl 60) - 1, 1 bsl 60, (1 bsl 60) + 1, -(1 bsl 60), -(1 bsl 60) - 1,
            (1 bsl 63) - 1, 1 bsl 63, -(1 bsl 63), (1 bsl 64) - 1, 1 bsl 64,
            -(1 bsl 64), (1 bsl 64) + 1, 1 bsl 96, (1 bsl 128) - 1, -(1 bsl 128),
            1 bsl 1023, 1 bsl 1024, -(1 bsl 1024), (1 bsl 1024) + 1,
            1 bsl 2040, 1 bsl 2047, 1 bsl 2048, -(1 bsl 2048),
            pow(7, 12000), -pow(3, 5000), pow(10, 3000) + 1],
    Floats = [PZ, NZ, 1.0, -1.0, 0.5, 0.1, -0.1, 3.141592653589793,
              1.0e-310, -1.0e-310, 5.0e-324, float_bits(1),
              2.2250738585072014e-308, 2.225073858507201e-308,
              1.7976931348623157e308, -1.7976931348623157e308,
              9007199254740992.0, 9007199254740993.0, 9007199254740990.0,
              576460752303423488.0, -576460752303423488.0,
              1152921504606846976.0, 1.8446744073709552e19, -1.8446744073709552e19,
              1.0e300, 1.0e-300, 123456789.123456789, 4.656612873077392578125e-10,
              2.384185791015625e-7, 1.0e21, 1.0e22, 1.0e23, 7.0e-45,
              float(1 bsl 1023), 1.0e100, 0.3, 2.5, 1.5e-5, 100.0],
    Atoms = ['', a, ok, true, false, undefined, nonode@nohost, 'hello world',
             'with\nnewline', list_to_atom([0]), list_to_atom([255]),
             list_to_atom([228, 246, 252]), list_to_atom([955, 945]),
             list_to_atom([128512]), list_to_atom([127, 128, 129]),
             list_to_atom(lists:duplicate(255, $x)),
             list_to_atom(lists:duplicate(255, 255)),
             list_to_atom(lists:duplicate(255, 955)),
             list_to_atom(lists:duplicate(255, 128512)),
             list_to_atom(lists:duplicate(254, $y) ++ [955]),
             list_to_atom(lists:duplicate(100, $z) ++ [233])],
    <<_:3, Unaligned/bitstring>> = <<"unaligned sub binary, quite long to be a refc one maybe", 7:5>>,
    <<_:5, Unaligned2:20/binary, _/bitstring>> = list_to_binary(lists:seq(1, 200)),
    Big = list_to_binary([X rem 256 || X <- lists:seq(1, 1000)]),
    <<_:8, SubBin:100/binary, _/binary>> = Big,
    Bins = [<<>>, <<0>>, <<1,2,3>>, <<"hello">>, list_to_binary(lists:seq(0, 63)),
            list_to_binary(lists:seq(0, 64)), Big, SubBin, Unaligned, Unaligned2,
            <<1:1>>, <<0:1>>, <<5:3>>, <<1,2,3,4:4>>, <<0:7>>, <<255:7>>,
            <<Big/binary, 3:2>>, <<1:1, 0:7>>, <<128>>, <<0:63>>, <<0:64>>, <<0:65>>],
    Lists = [[], "abc", [1,2|3], [a|b], [[]], [[], []], "a", [0], [255], [256],
             [-1], [1.0], lists:seq(0, 255), lists:duplicate(65535, $q),
             lists:duplicate(65536, $q), lists:duplicate(70000, 7) ++ [300],
             [$a, $b | <<"tail">>], [1 | 2.0], "\x{3bb}\x{3b1}", [x, "y", <<"z">>],
             lists:seq(1, 1000)],
    Tuples = [{}, {a}, {1, 2}, {{}, {{}}}, list_to_tuple(lists:seq(1, 255)),
              list_to_tuple(lists:seq(1, 256)), list_to_tuple(lists:seq(1, 1000)),
              {a, "b", <<"c">>, 1.0, [], #{}}],
    MapInts = fun(N) -> maps:from_list([{I, I * 2} || I <- lists:seq(1, N)]) end,
    MapBins = fun(N) -> maps:from_list([{integer_to_binary(I), I} || I <- lists:seq(1, N)]) end,
    Maps = [#{}, #{a => 1}, #{1 => a}, #{1.0 => a}, #{1 => a, 1.0 => b},
            maps:from_list([{PZ, a}, {NZ, b}]), maps:from_list([{NZ, a}]),
            MapInts(31), MapInts(32), MapInts(33), MapInts(34), MapInts(100),
            MapInts(1000), MapBins(32), MapBins(33), MapBins(500),
            maps:from_list([{{I, [I], <<I:16>>}, I} || I <- lists:seq(1, 300)]),
            maps:from_list([{float(I) / 7, I} || I <- lists:seq(1, 200)]),
            maps:from_list([{I - 100, float(I)} || I <- lists:seq(1, 200)] ++
                           [{float(I), I} || I <- lists:seq(1, 50)]),
            #{MapInts(40) => MapBins(40), MapInts(3) => #{x => MapInts(50)}},
            maps:from_list([{MapInts(I), I} || I <- lists:seq(30, 70)]),
            #{a => 1, "b" => 2, <<"c">> => 3, {d} => 4, [e] => 5, 6 => 6, 7.0 => 7,
              #{} => 8, #{k => v} => 9, [] => 10, {} => 11, <<1:1>> => 12},
            maps:from_list([{list_to_atom("k" ++ integer_to_list(I)), I} || I <- lists:seq(1, 32)]),
            maps:from_list([{I, lists:seq(1, I rem 7)} || I <- lists:seq(1, 64)]),
            maps:from_list([{[I | I], {I}} || I <- lists:seq(1, 40)]),
            maps:from_list([{1 bsl (60 + I), I} || I <- lists:seq(1, 40)]),
            maps:from_list([{-I, I} || I <- lists:seq(1, 40)]),
            maps:from_list([{I * 1.0e10, I} || I <- lists:seq(1, 40)]),
            maps:from_list([{<<I:(I rem 13)>>, I} || I <- lists:seq(1, 60)]),
            maps:from_list([{[], a}, {"", b}, {<<>>, c}] ++ [{I, I} || I <- lists:seq(1, 40)])],
    Self = self(),
    Pid2 = spawn(fun() -> ok end),
    Ref = make_ref(),
    MRef = monitor(process, Pid2),
    Tab = ets:new(t, []),
    Ports = erlang:ports(),
    ExtPid = binary_to_term(<<131, 88, 100, 0, 10, "other@host", 0:32, 5:32, 7:32>>),
    ExtPid2 = binary_to_term(<<131, 103, 100, 0, 10, "other@host", 1:32, 0:32, 3:8>>),
    ExtPid3 = binary_to_term(<<131, 88, 100, 0, 10, "other@host", 0:32, 5:32, 8:32>>),
    ExtPid4 = binary_to_term(<<131, 88, 100, 0, 9, "aaa@host2", 100:32, 1:32, 1:32>>),
    ExtRef = binary_to_term(<<131, 90, 0, 3, 100, 0, 10, "other@host", 7:32, 1:32, 2:32, 3:32>>),
    ExtRef2 = binary_to_term(<<131, 114, 0, 2, 100, 0, 10, "other@host", 2:8, 1:32, 2:32>>),
    ExtRef3 = binary_to_term(<<131, 101, 100, 0, 10, "other@host", 9:32, 1:8>>),
    ExtRef5 = binary_to_term(<<131, 90, 0, 5, 100, 0, 10, "other@host", 7:32, 1:32, 2:32, 3:32, 4:32, 5:32>>),
    ExtPort = binary_to_term(<<131, 89, 100, 0, 10, "other@host", 42:32, 7:32>>),
    ExtPort2 = binary_to_term(<<131, 102, 100, 0, 10, "other@host", 43:32, 1:8>>),
    ExtPort3 = binary_to_term(<<131, 120, 100, 0, 10, "other@host", (1 bsl 40):64, 7:32>>),
    LocalOld = binary_to_term(<<131, 103, 100, 0, 13, "nonode@nohost", 77:32, 0:32, 0:8>>),
    LocalRef1 = binary_to_term(<<131, 90, 0, 1, 100, 0, 13, "nonode@nohost", 0:32, 99:32>>),
    LocalRef2 = binary_to_term(<<131, 114, 0, 2, 100, 0, 13, "nonode@nohost", 0:8, 99:32, 5:32>>),
    LocalPort = binary_to_term(<<131, 102, 100, 0, 13, "nonode@nohost", 4:32, 0:8>>),
    Nodes = [Self, Pid2, LocalOld, ExtPid, ExtPid3, ExtPid2, ExtPid4, Self, ExtPid,
             Ref, MRef, Tab, LocalRef1, LocalRef2, ExtRef, ExtRef2, ExtRef3, ExtRef5, Ref,
             ExtRef, LocalRef1] ++ Ports ++ [LocalPort, ExtPort, ExtPort2, ExtPort3, ExtPort,
             hd(Ports)],
    Funs = [fun lists:map/2, fun lists:map/2, fun lists:foldl/3, fun erlang:'+'/2,
            fun nosuchmod:nosuchfun/0, fun erlang:abs/1, fun lists:map/3,
            fun 'Äpfel':'ö'/255],
    Mixed = [NZ, PZ, 0, 1, 1.0, 1, 2, 1.5, (1 bsl 60), float(1 bsl 60), (1 bsl 60) + 1,
             float(1 bsl 60), (1 bsl 60) - 1, float(1 bsl 53) + 2.0, (1 bsl 53) + 1,
             (1 bsl 53) + 2, float(1 bsl 53) + 2.0, 1 bsl 1024, 1.7976931348623157e308,
             -(1 bsl 1024), -1.7976931348623157e308, 1 bsl 1023, float(1 bsl 1023),
             (1 bsl 1023) + 1, float(1 bsl 1023), 1 bsl 59, float(1 bsl 59),
             -(1 bsl 59), float(-(1 bsl 59)), -(1 bsl 59) - 1, float(-(1 bsl 59)),
             (1 bsl 59) - 1, float(1 bsl 59), 9007199254740991, 9007199254740990.0,
             9007199254740993, 9007199254740992.0, -9007199254740993, -9007199254740992.0,
             1 bsl 64, 1.8446744073709552e19, -(1 bsl 64), -1.8446744073709552e19,
             (1 bsl 64) + 1, 1.8446744073709552e19, pow(10, 400), 1.0e300,
             1 bsl 1100, 1.0e300, 1.0e300, 1 bsl 1100,
             a, 1, 1, a, a, Ref, Ref, fun lists:map/2, fun lists:map/2, hd(Ports), hd(Ports),
             Self, Self, {}, {}, #{}, #{}, [], [], [a], [a], <<>>, <<>>, <<1:1>>, 1.0, {1},
             {1.0}, {1}, {1, 2}, {2}, {1, 1}, [1], [1.0], [1 | 2], [1 | 2.0], [1, 2], [1 | 2],
             #{1 => a}, #{1.0 => a}, #{a => 1}, #{a => 1.0}, #{a => 1, b => 2}, #{a => 2},
             #{b => 1}, #{a => 2}, #{a => 1, b => 1}, #{a => 1, c => 0},
             MapInts(40), MapInts(41), MapInts(40), maps:put(40, 81, MapInts(40)),
             MapInts(40), maps:put(40, 80.0, MapInts(40)), maps:put(40, 80.0, MapInts(40)),
             maps:put(1.0, 2, maps:remove(1, MapInts(40))), MapInts(40),
             maps:put(1.0, 2, maps:remove(1, MapInts(40))),
             maps:put(0, 0, maps:remove(17, MapInts(40))), MapInts(40),
             maps:put(41, 0, maps:remove(17, MapInts(40))), MapInts(40),
             MapInts(40), maps:put(17, x, MapInts(40)), maps:put(3, x, maps:put(17, y, MapInts(40))),
             maps:put(3, y, maps:put(17, x, MapInts(40))),
             MapBins(40), MapInts(40), MapInts(33), MapInts(32), MapInts(32), MapInts(33),
             <<1, 2>>, <<1, 2, 0:1>>, <<1, 2, 0:1>>, <<1, 2>>, <<1, 2, 1:1>>, <<1, 3>>,
             <<1:1>>, <<0:2>>, <<2:2>>, <<1:1>>, <<>>, <<0:1>>, <<"abc">>, <<"abd">>,
             <<"ab">>, <<"abc">>, Unaligned, Unaligned, Unaligned2, Unaligned,
             "abc", "abd", "abc", [$a, $b, $c | x], 'abc', 'abd', 'ab', 'abc',
             'äb', 'ab', list_to_atom([955]), 'z', list_to_atom([255]), list_to_atom([256]),
             ExtPid, Self, Self, ExtPid, ExtRef, Ref, Ref, ExtRef, ExtPort, hd(Ports),
             hd(Ports), ExtPort],
    Misc = [{Self, Ref, hd(Ports), fun lists:map/2, #{Self => Ref}},
            [Ref, {MRef, [Tab]}], #{Ref => 1, ExtRef => 2, ExtPid => 3, Self => 4},
            maps:from_list([{make_ref(), I} || I <- lists:seq(1, 40)]),
            maps:from_list([{{<<"ref">>, I}, Ref} || I <- lists:seq(1, 40)])],
    lists:append([Ints, Floats, Atoms, Bins, Lists, Tuples, Maps, Nodes, Funs, Mixed, Misc,
                  [list_to_tuple(Ints), Floats, list_to_tuple(Atoms), Bins, Maps, Mixed]]).

pow(B, E) -> pow(B, E, 1).
pow(_, 0, Acc) -> Acc;
pow(B, E, Acc) -> pow(B, E - 1, Acc * B).

%% Deep nesting: decoders, encoders, hashing, comparison and GC must not
%% recurse on the native stack.
deep_terms() ->
    DeepList = lists:foldl(fun(_, A) -> [A] end, [], lists:seq(1, 100000)),
    DeepList2 = lists:foldl(fun(_, A) -> [A] end, [], lists:seq(1, 100000)),
    DeepTuple = lists:foldl(fun(I, A) -> {I, A} end, nil, lists:seq(1, 100000)),
    DeepTuple2 = lists:foldl(fun(I, A) -> {I, A} end, nil, lists:seq(1, 100000)),
    DeepMap = lists:foldl(fun(I, A) -> #{I => A} end, #{}, lists:seq(1, 50000)),
    DeepMap2 = lists:foldl(fun(I, A) -> #{I => A, a => I} end, #{}, lists:seq(1, 30000)),
    DeepBigMap = lists:foldl(fun(I, A) -> maps:put(<<"k">>, A, maps:from_list([{J, I} || J <- lists:seq(1, 40)])) end,
                             #{}, lists:seq(1, 2000)),
    DeepKey = lists:foldl(fun(I, A) -> #{A => I} end, #{}, lists:seq(1, 20000)),
    Improper = lists:foldl(fun(I, A) -> [A | I] end, [], lists:seq(1, 100000)),
    LongList = lists:seq(1, 200000),
    [DeepList, DeepList2, DeepTuple, DeepTuple2, DeepMap, DeepMap, DeepMap2, DeepBigMap,
     DeepBigMap, DeepKey, DeepKey, Improper, LongList, LongList, [LongList | DeepList]].

%% Local funs (NEW_FUN_EXT). Each has its creator pid, module, uniq, index,
%% old_index/old_uniq and environment.
fun_terms() ->
    Y = 5,
    Z = {a, <<"bin">>, #{k => [1.0]}},
    F0 = fun() -> ok end,
    F1 = fun(X) -> X + Y end,
    F2 = fun(X, W) -> {X, W, Z, Y} end,
    F3 = fun F(0) -> Z; F(N) -> F(N - 1) end,
    F4 = fun(A) -> [A, F1, Z] end,
    Pid = spawn(fun() -> ok end),
    F5 = fun() -> Pid end,
    [F0, F0, F1, F2, F3, F4, F5, F1, fun() -> ok end, {F1, [F2]},
     #{F0 => F1, F1 => F2}, F2, F1, fun lists:map/2, F0].

%% A sorted list of random terms (numbers of every kind mixed in):
%% neighbours are as close as the term order gets.
sorted_terms(Seed) ->
    rand:seed(exsss, {Seed, 99, 99}),
    Nums = lists:append([[I, float(I), I + 0.5, -I, I * (1 bsl 62), float(I * (1 bsl 62))]
                         || I <- [rand:uniform(1 bsl 20) || _ <- lists:seq(1, 300)]]),
    lists:sort(Nums ++ [gen(2) || _ <- lists:seq(1, 3000)] ++ random_terms(1000, 0)).

%% Comparison-heavy list: many near-equal neighbours.
cmp_terms() ->
    rand:seed(exsss, {7, 7, 7}),
    lists:append([cmp_group() || _ <- lists:seq(1, 400)]).

cmp_group() ->
    T = gen(3),
    [T, mutate(T), T, copy(T), numeric_neighbour(T), T].

numeric_neighbour(T) when is_integer(T), abs(T) < (1 bsl 1000) -> float(T);
numeric_neighbour(T) when is_float(T), abs(T) < 1.0e300 -> round(T);
numeric_neighbour(T) -> T.

copy(T) -> binary_to_term(term_to_binary(T)).

%% ---------------------------------------------------------------------------
%% Random terms.

random_terms(N, _I) ->
    random_terms(N, undefined, []).

random_terms(0, _Prev, Acc) -> lists:reverse(Acc);
random_terms(N, Prev, Acc) ->
    T = case {Prev, rand:uniform(10)} of
            {undefined, _} -> gen(4);
            {_, 1} -> mutate(Prev);
            {_, 2} -> copy(Prev);
            {_, 3} -> numeric_neighbour(Prev);
            _ -> gen(rand:uniform(5) - 1)
        end,
    random_terms(N - 1, T, [T | Acc]).

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%% Each top-level term gets a budget of nodes (process dictionary key
%% `budget`); when it is spent, only leaves are generated.
gen(D) ->
    put(budget, 5 + rand:uniform(40)),
    gen1(D).

gen1(D) ->
    case get(budget) of
        B when B =< 0 -> leaf();
        B -> put(budget, B - 1), gen2(D)
    end.

gen2(0) -> leaf();
gen2(D) ->
    case rand:uniform(12) of
        1 -> list_to_tuple([gen1(D - 1) || _ <- lists:seq(1, rand:uniform(5) - 1)]);
        2 -> [gen1(D - 1) || _ <- lists:seq(1, rand:uniform(6) - 1)];
        3 -> improper(D);
        4 -> small_map(D);
        5 -> case rand:uniform(4) of
                 1 -> large_map(D);
                 _ -> small_map(D)
             end;
        6 -> case rand:uniform(10) of
                 1 -> list_to_tuple([leaf() || _ <- lists:seq(1, 250 + rand:uniform(50))]);
                 _ -> {leaf()}
             end;
        _ -> leaf()
    end.

improper(D) ->
    L = [gen1(D - 1) || _ <- lists:seq(1, rand:uniform(4))],
    L ++ leaf_non_list().

leaf_non_list() ->
    case leaf() of
        X when is_list(X) -> {X};
        X -> X
    end.

small_map(D) ->
    maps:from_list([{key(D - 1), gen1(D - 1)} || _ <- lists:seq(1, rand:uniform(33) - 1)]).

large_map(D) ->
    N = case rand:uniform(8) of
            1 -> 60 + rand:uniform(100);
            _ -> 30 + rand:uniform(10)
        end,
    maps:from_list([{stable_key(D - 1), gen1(max(0, D - 2))} || _ <- lists:seq(1, N)]).

%% Keys for maps of <= 32 keys: anything.
key(D) -> gen1(D).

%% Keys for large maps: terms whose ERTS internal hash does not depend on
%% atom indices or node pointers (numbers, binaries, lists, tuples, small
%% maps of those), so that HAMT order is the same on oxbeam and stock ERTS.
stable_key(D) when D =< 0 -> stable_leaf();
stable_key(D) ->
    case rand:uniform(8) of
        1 -> list_to_tuple([stable_key(D - 1) || _ <- lists:seq(1, rand:uniform(4))]);
        2 -> [stable_key(D - 1) || _ <- lists:seq(1, rand:uniform(4) - 1)];
        3 -> maps:from_list([{stable_key(D - 1), stable_key(D - 1)} || _ <- lists:seq(1, rand:uniform(4))]);
        _ -> stable_leaf()
    end.

stable_leaf() ->
    case rand:uniform(8) of
        1 -> rand:uniform(1000);
        2 -> rand:uniform(1 bsl 62) - (1 bsl 61);
        3 -> rand_float();
        4 -> rand:bytes(rand:uniform(10));
        5 -> rand_big();
        6 -> rand_bits();
        7 -> [rand:uniform(255) || _ <- lists:seq(1, rand:uniform(5))];
        8 -> rand:uniform(70) - 35
    end.

leaf() ->
    case rand:uniform(20) of
        1 -> rand:uniform(256) - 1;
        2 -> rand:uniform(1 bsl 28) - (1 bsl 27);
        3 -> rand:uniform(1 bsl 61) - (1 bsl 60);
        4 -> rand_big();
        5 -> rand_float();
        6 -> rand_nice_float();
        7 -> rand_atom();
        8 -> rand:bytes(rand:uniform(20) - 1);
        9 -> rand:bytes(60 + rand:uniform(40));
        10 -> rand_bits();
        11 -> [rand:uniform(256) - 1 || _ <- lists:seq(1, rand:uniform(30))];
        12 -> [rand:uniform(2000) || _ <- lists:seq(1, rand:uniform(10))];
        13 -> [];
        14 -> {};
        15 -> #{};
        16 -> node_thing();
        17 -> pick([fun lists:map/2, fun erlang:'+'/2, fun maps:get/3, fun nosuch:f/9]);
        18 -> rand:uniform(20) - 10;
        19 -> unicode:characters_to_binary([rand:uniform(1000) || _ <- lists:seq(1, rand:uniform(8))]);
        20 -> pick([true, false, undefined, ok, error, nil])
    end.

rand_big() ->
    Bytes = case rand:uniform(20) of
                1 -> 100 + rand:uniform(500);
                _ -> 8 + rand:uniform(24)
            end,
    <<N:(Bytes * 8)>> = rand:bytes(Bytes),
    case rand:uniform(2) of
        1 -> N;
        2 -> -N
    end.

rand_float() ->
    <<X:64>> = rand:bytes(8),
    case <<X:64>> of
        <<_:1, 2047:11, _:52>> -> rand_float();
        <<F/float>> -> F
    end.

rand_nice_float() ->
    case rand:uniform(6) of
        1 -> float(rand:uniform(1000) - 500);
        2 -> (rand:uniform(10000) - 5000) / 64;
        3 -> pick([0.0, neg_zero(), 1.0, -1.0, 0.5]);
        4 -> float(rand:uniform(1 bsl 62));
        5 -> rand:uniform() * math:pow(10, rand:uniform(40) - 20);
        6 -> rand:normal()
    end.

rand_bits() ->
    Bits = rand:uniform(200) - 1,
    Bytes = (Bits + 7) div 8,
    <<B:Bits/bitstring, _/bitstring>> = rand:bytes(Bytes + 1),
    case rand:uniform(3) of
        1 ->
            %% unaligned sub-binary
            <<_:3, R/bitstring>> = <<0:3, B/bitstring>>,
            R;
        _ -> B
    end.

rand_atom() ->
    case rand:uniform(6) of
        1 -> pick([a, b, c, foo, bar, baz, 'Hello', '', 'ÿ', 'äöü']);
        2 -> list_to_atom([$a + rand:uniform(26) - 1 || _ <- lists:seq(1, rand:uniform(12))]);
        3 -> list_to_atom([rand:uniform(255) || _ <- lists:seq(1, rand:uniform(5))]);
        4 -> list_to_atom([rand:uniform(2000) || _ <- lists:seq(1, rand:uniform(5))]);
        5 -> list_to_atom("at" ++ integer_to_list(rand:uniform(500)));
        6 -> list_to_atom([rand:uniform(16#10000) || _ <- lists:seq(1, rand:uniform(3))] -- lists:seq(16#D800, 16#DFFF))
    end.

node_thing() ->
    case rand:uniform(6) of
        1 -> self();
        2 -> make_ref();
        3 -> hd(erlang:ports());
        4 -> binary_to_term(<<131, 88, 100, 0, 10, "other@host", (rand:uniform(100)):32, 0:32, (rand:uniform(3)):32>>);
        5 -> binary_to_term(<<131, 90, 0, 3, 100, 0, 10, "other@host", 7:32, (rand:uniform(100)):32, 2:32, 3:32>>);
        6 -> list_to_pid("<0." ++ integer_to_list(rand:uniform(30000)) ++ "." ++ integer_to_list(rand:uniform(100)) ++ ">")
    end.

mutate(T) when is_tuple(T), tuple_size(T) > 0 ->
    I = rand:uniform(tuple_size(T)),
    setelement(I, T, mutate(element(I, T)));
mutate([H | T]) ->
    case rand:uniform(3) of
        1 -> [mutate(H) | T];
        2 -> [H | mutate_tail(T)];
        3 -> [0, H | T]
    end;
mutate(M) when is_map(M), map_size(M) > 0 ->
    Ks = maps:keys(M),
    K = pick(Ks),
    case rand:uniform(3) of
        1 -> maps:put(K, mutate(maps:get(K, M)), M);
        2 -> maps:remove(K, M);
        3 -> maps:put(mutate(K), maps:get(K, M), maps:remove(K, M))
    end;
mutate(I) when is_integer(I) -> I + rand:uniform(3) - 2;
mutate(F) when is_float(F) -> F * 1.0000001;
mutate(B) when is_binary(B), byte_size(B) > 0 -> <<B/binary, 0>>;
mutate(B) when is_bitstring(B) -> <<B/bitstring, 1:1>>;
mutate(A) when is_atom(A) -> list_to_atom(atom_to_list(A) ++ "x");
mutate(T) -> {T}.

mutate_tail([H | T]) -> [mutate(H) | T];
mutate_tail(T) -> mutate(T).

%% The benchmark corpus (benches/etf.rs and benches/erlang/etf_stock.erl):
%% a realistic mix of records, strings, binaries, maps and numbers.
bench_corpus() ->
    rand:seed(exsss, {1, 2, 3}),
    [bench_item(I) || I <- lists:seq(1, 2000)].

bench_item(I) ->
    #{id => I,
      name => list_to_binary("user" ++ integer_to_list(I)),
      email => "user" ++ integer_to_list(I) ++ "@example.com",
      score => rand:uniform() * 100,
      tags => [pick([admin, staff, guest, banned]) || _ <- lists:seq(1, rand:uniform(4))],
      history => [{event, rand:uniform(1 bsl 40), pick([login, logout, view]), rand:bytes(16)}
                  || _ <- lists:seq(1, rand:uniform(6))],
      big => rand:uniform(1 bsl 100),
      attrs => maps:from_list([{integer_to_binary(K), K * 3} || K <- lists:seq(1, rand:uniform(40))]),
      blob => rand:bytes(rand:uniform(300))}.
