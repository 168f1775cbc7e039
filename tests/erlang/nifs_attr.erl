%% A module declaring NIFs with the OTP 25 -nifs attribute: each declared
%% function starts with a nif_start instruction. No NIF library is loaded,
%% so the Erlang bodies run.
-module(nifs_attr).
-export([main/0, id/1, fast_add/2, fast_len/1]).
-nifs([fast_add/2, fast_len/1]).

id(X) -> X.
d(X) -> erlang:display(X).

fast_add(A, B) -> A + B.

fast_len(L) -> length(L).

main() ->
    d({fast_add, fast_add(id(1), 2), fast_add(id(1 bsl 64), 1)}),
    d({fast_len, fast_len(id([a, b, c]))}),
    d({nifs_attribute, lists:keyfind(nifs, 1, ?MODULE:module_info(attributes))}),
    d({load_nif_missing, case erlang:load_nif(id("/nonexistent/nifs_attr_nif"), 0) of
                             {error, {Reason, _Text}} -> {error, Reason};
                             Other -> Other
                         end}),
    ok.
