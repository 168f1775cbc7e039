#!/usr/bin/env escript
%% -*- erlang -*-
%% Times stock ERTS on the ETF/term-comparison benchmark corpus, for
%% comparison with `cargo bench --bench etf` and `--bench term_cmp`.
%%
%% The corpus is etf_corpus:bench_corpus() (tests/erlang/etf_corpus.erl):
%% 2000 user records (maps with binaries, strings, floats, atoms, bignums,
%% nested maps and tuples).
%%
%% Usage:
%%   etf_stock.escript                 print MB/s and ns/compare on stock ERTS
%%   etf_stock.escript --write FILE    write term_to_binary(Corpus) to FILE
-mode(compile).

main(Args) ->
    Here = filename:dirname(escript:script_name()),
    Src = filename:join([Here, "..", "..", "tests", "erlang", "etf_corpus.erl"]),
    {ok, Mod, Bin} = compile:file(Src, [binary]),
    {module, Mod} = code:load_binary(Mod, Src, Bin),
    L = etf_corpus:bench_corpus(),
    B = term_to_binary(L),
    case Args of
        ["--write", File] ->
            ok = file:write_file(File, B);
        [] ->
            bench(L, B)
    end.

bench(L, B) ->
    MB = byte_size(B) / 1.0e6,
    io:format("corpus: ~w terms, ~.3f MB external format~n", [length(L), MB]),
    Enc = best(fun() -> term_to_binary(L) end, 30),
    io:format("stock term_to_binary: ~.1f MB/s (~.2f ms)~n", [MB / Enc, Enc * 1000]),
    Det = best(fun() -> term_to_binary(L, [deterministic]) end, 30),
    io:format("stock term_to_binary deterministic: ~.1f MB/s (~.2f ms)~n", [MB / Det, Det * 1000]),
    Dec = best(fun() -> binary_to_term(B) end, 30),
    io:format("stock binary_to_term: ~.1f MB/s (~.2f ms)~n", [MB / Dec, Dec * 1000]),
    Copy = binary_to_term(B),
    Eq = best(fun() -> L == Copy end, 30),
    io:format("stock == on equal copies: ~.1f MB/s (~.2f ms)~n", [MB / Eq, Eq * 1000]),
    H = best(fun() -> erlang:phash2(L) end, 30),
    io:format("stock phash2 of the corpus: ~.1f MB/s (~.2f ms)~n", [MB / H, H * 1000]),
    Pairs = lists:zip(lists:droplast(L), tl(L)),
    N = length(Pairs),
    Cmp = best(fun() -> [A < C || {A, C} <- Pairs] end, 30),
    io:format("stock adjacent compares: ~.1f ns/compare~n", [Cmp * 1.0e9 / N]).

%% Best wall time in seconds of Runs runs.
best(F, Runs) ->
    F(),
    lists:min([begin
                   {T, _} = timer:tc(F),
                   T / 1.0e6
               end || _ <- lists:seq(1, Runs)]).
