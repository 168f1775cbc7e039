%% A module with an -on_load function (compiled with an on_load
%% instruction at its start). The function runs when the module is loaded,
%% before main/0 is called, and leaves a persistent_term behind.
-module(on_load_hook).
-export([main/0, id/1]).
-on_load(init/0).

id(X) -> X.
d(X) -> erlang:display(X).

init() ->
    persistent_term:put({?MODULE, loaded}, {yes, lists:sum([1, 2, 3])}),
    ok.

main() ->
    d({on_load_ran, persistent_term:get({?MODULE, loaded}, no)}),
    d({on_load_attribute, lists:keyfind(on_load, 1, ?MODULE:module_info(attributes))}),
    ok.
