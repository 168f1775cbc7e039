%% Allocation-heavy work forcing many garbage collections: big lists,
%% tuples, maps and binaries (heap and reference-counted, sub-binaries that
%% outlive their parent) built and dropped repeatedly. Only digests are shown.
-module(gc_heavy).
-export([main/0, id/1]).

id(X) -> X.
d(X) -> erlang:display(X).

%% builds a list of N small tuples, returns a digest of it
round_list(N, Seed) ->
    L = [{I, I * Seed, [I]} || I <- lists:seq(1, N)],
    lists:foldl(fun({A, B, [C]}, Acc) -> (Acc + A + B + C) rem 1000000007 end, 0, L).

%% keeps a sliding window of live data while producing garbage
window(0, _, Acc) -> Acc;
window(N, Win, Acc) ->
    New = lists:seq(N, N + 50),
    Win2 = lists:sublist([New | Win], 20),
    window(N - 1, Win2, Acc + length(hd(Win2))).

big_tuple(N) ->
    T = erlang:make_tuple(N, 0),
    T2 = lists:foldl(fun(I, Acc) -> setelement(I, Acc, I) end, T, lists:seq(1, N, 997)),
    {tuple_size(T2), element(998, T2), lists:sum(tuple_to_list(T2))}.

binaries(0, Acc) -> Acc;
binaries(N, Acc) ->
    Small = <<N:32, "small">>,                      % heap binary
    Large = binary:copy(<<N:32>>, 100),             % refc binary
    <<_:16/binary, Sub:8/binary, _/binary>> = Large, % sub-binary of the large one
    binaries(N - 1, [Sub | lists:sublist(Acc, 50)]) ++ [byte_size(Small)].

tree_insert(K, nil) -> {K, nil, nil};
tree_insert(K, {K2, L, R}) when K < K2 -> {K2, tree_insert(K, L), R};
tree_insert(K, {K2, L, R}) when K > K2 -> {K2, L, tree_insert(K, R)};
tree_insert(_, T) -> T.

tree_size(nil) -> 0;
tree_size({_, L, R}) -> 1 + tree_size(L) + tree_size(R).

lcg(X) -> (X * 1103515245 + 12345) band 16#7FFFFFFF.

random_list(0, _, Acc) -> Acc;
random_list(N, X, Acc) -> X2 = lcg(X), random_list(N - 1, X2, [X2 rem 100000 | Acc]).

main() ->
    d({rounds, [round_list(id(200000), S) || S <- [1, 2, 3]]}),
    d({window, window(id(20000), [], 0)}),
    d({big_tuple, big_tuple(id(1000000))}),
    Bins = binaries(id(2000), []),
    d({binaries, length(Bins), lists:sum([B || B <- Bins, is_integer(B)]), erlang:md5([B || B <- Bins, is_binary(B)])}),
    R = random_list(id(200000), 42, []),
    d({random, lists:sum(R), length(lists:usort(R))}),
    Tree = lists:foldl(fun tree_insert/2, nil, lists:sublist(R, 50000)),
    d({tree, tree_size(Tree)}),
    Maps = lists:foldl(fun(I, M) -> M#{I rem 50000 => [I]} end, #{}, lists:seq(1, 200000)),
    d({maps, map_size(Maps), lists:sum([V || [V] <- maps:values(Maps)])}),
    %% strings and iolists
    IoList = [[integer_to_list(I), $,] || I <- lists:seq(1, 100000)],
    d({iolist, iolist_size(IoList), erlang:md5(IoList)}),
    Str = lists:flatten(IoList),
    d({flatten, length(Str), lists:sum(Str) rem 1000}),
    %% explicit collections between phases
    true = erlang:garbage_collect(),
    Keep = lists:seq(1, 100000),
    _ = [lists:seq(1, 1000) || _ <- lists:seq(1, 300)],
    true = erlang:garbage_collect(),
    d({kept, lists:sum(Keep)}),
    %% large binary concatenation in a loop
    Concat = lists:foldl(fun(I, Acc) -> <<Acc/binary, I:32>> end, <<>>, lists:seq(1, 100000)),
    d({concat, byte_size(Concat), erlang:md5(Concat)}),
    %% term_to_binary of big data and back
    Big = {lists:seq(1, 50000), list_to_tuple(lists:seq(1, 1000)), Maps},
    Bin = term_to_binary(Big),
    d({etf_roundtrip, byte_size(Bin), binary_to_term(Bin) =:= Big}),
    ok.
