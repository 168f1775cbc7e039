%% Huge arguments: calls that ERTS answers with system_limit (bignums
%% beyond BIG_ARITY_MAX digits, shifts by huge amounts, too large tuples and
%% atoms) or with a value; oxbeam must give the same answer without
%% allocating unbounded memory. Values are shown reduced (integers modulo a
%% prime, sizes of binaries and lists).
-module(huge_args).
-export([main/0]).
t(F) ->
    try F() of
        V when is_integer(V) -> {ok, int, V rem 1000000007};
        V when is_binary(V) -> {ok, bin, byte_size(V)};
        V when is_list(V) -> {ok, list, length(V)};
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.
id(X) -> X.
main() ->
  L = [fun() -> id(1) bsl id(100000000) end,
       fun() -> id(1) bsl id(33554431) end,
       fun() -> id(1) bsl id(33554432) end,
       fun() -> id(1) bsl id(1 bsl 40) end,
       fun() -> id(1) bsl id(1 bsl 64) end,
       fun() -> id(-1) bsl id(1 bsl 64) end,
       fun() -> id(1) bsr id(1 bsl 64) end,
       fun() -> id(-1) bsr id(1 bsl 64) end,
       fun() -> id(0) bsl id(1 bsl 64) end,
       fun() -> (id(1) bsl 20000000) * (id(1) bsl 20000000) end,
       fun() -> (id(1) bsl 33554430) + (id(1) bsl 33554430) end,
       fun() -> id(1 bsl 33554430) - id(-(1 bsl 33554430)) end,
       fun() -> byte_size(integer_to_binary(id(1) bsl 100000)) end,
       fun() -> erlang:make_tuple(id(1 bsl 24), a) end,
       fun() -> erlang:make_tuple(id(1 bsl 40), a) end,
       fun() -> erlang:list_to_atom(lists:duplicate(256, $a)) end,
       fun() -> erlang:binary_to_atom(binary:copy(<<"a">>, 256), utf8) end,
       fun() -> erlang:atom_to_binary(id(abc), id(latin1)) end,
       fun() -> float(id(1) bsl 1100) end,
       fun() -> id(1.0) * (id(1) bsl 1100) end,
       fun() -> id(1) bsl id(-(1 bsl 64)) end,
       fun() -> trunc(id(1.0e308)) end,
       fun() -> round(id(-1.0e308)) end,
       fun() -> integer_to_list(id(1 bsl 200), 36) end,
       fun() -> binary:encode_unsigned(id(1) bsl 10000) end,
       fun() -> binary:decode_unsigned(binary:copy(<<255>>, 100000)) end,
       fun() -> erlang:phash2(id(1) bsl 1000000) end,
       fun() -> (id(1) bsl 1000000) div (id(1) bsl 999000) end,
       fun() -> (id(1) bsl 1000000) rem 7 end,
       fun() -> id(3) bsl (1 bsl 26) end
      ],
  [erlang:display(t(F)) || F <- L].
