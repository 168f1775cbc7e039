%% erlang:display/1 of every kind of term (its exact output format is what
%% is checked), and erlang:display_string/1 (which writes to stderr).
-module(display).
-export([main/0, id/1]).

-record(r, {a = 1, b = "two"}).

id(X) -> X.
d(X) -> erlang:display(X).

main() ->
    %% integers
    [d(id(X)) || X <- [0, 1, -1, 42, -42, 134217727, 134217728, 576460752303423487, 576460752303423488,
                       -576460752303423488, -576460752303423489, 1 bsl 64, -(1 bsl 64), 1 bsl 200, 7 bsl 1000]],
    %% floats
    [d(id(X)) || X <- [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 3.141592653589793, 1.0e-5, 1.0e-10, 123456.789,
                       1.0e15, 1.0e16, 1.0e21, 1.0e22, 1.0e100, 1.0e300, 5.0e-324, 2.2250738585072014e-308,
                       1.7976931348623157e308, 0.999999999, 9.9999995, 99999995.0, 1/3, -2/3]],
    %% atoms, including ones that need quoting
    [d(id(X)) || X <- [a, ok, true, false, undefined, 'A', 'Abc', '_x', 'hello world', 'a-b', 'a.b', 'a@b', '', '\'',
                       '\\', 'a\nb', 'tab\t', 'é', 'λ', '日本', 'ÿ', [], 'foo bar', 'x1', '1x', 'after', 'case', 'end',
                       'receive', 'when', 'fun', 'try', 'catch', 'andalso', 'not', 'div', '$', 'a\'b']],
    %% lists and strings
    [d(id(X)) || X <- [[], [1], [1, 2, 3], [a | b], [1, [2, [3, []]]], "abc", "", "a\nb", "tab\there", "quote\"s",
                       "back\\slash", [$a, 0], [127], [31], [32, 126], [160, 255], "é", "λ", [256], [955, 956],
                       [$a | $b], ["nested", "strings"], [[]], [{}], lists:seq(1, 40), lists:seq(32, 126)]],
    %% tuples
    [d(id(X)) || X <- [{}, {a}, {a, b}, {1, {2, {3, {}}}}, {"s", <<"b">>, [l], #{m => 1}}, #r{}, list_to_tuple(lists:seq(1, 20))]],
    %% binaries and bitstrings
    [d(id(X)) || X <- [<<>>, <<0>>, <<"abc">>, <<"a b c">>, <<"line\n">>, <<1, 2, 3>>, <<255, 0, 128>>, <<"é"/utf8>>,
                       <<"abc", 0>>, <<1:1>>, <<1:7>>, <<255, 1:2>>, <<"abc", 5:3>>, binary:copy(<<"x">>, 100),
                       binary:copy(<<1>>, 100), <<"\"quoted\"">>, <<"back\\slash">>, <<7, 8, 9, 10, 11, 12, 13>>, <<127>>, <<31>>]],
    %% maps
    [d(id(X)) || X <- [#{}, #{a => 1}, #{b => 2, a => 1}, #{1 => 2, <<"k">> => "v", {t} => [l]}, #{#{} => #{a => #{}}},
                       #{1.0 => float, 1 => int}, maps:from_list([{I, I} || I <- lists:seq(1, 32)])]],
    %% funs
    d(fun lists:map/2),
    d(fun erlang:'+'/2),
    d(fun 'Module':'Fun'/0),
    d(fun(X) -> X end),
    %% pids, ports and references built from their text form
    d(list_to_pid("<0.0.0>")),
    d(list_to_pid("<0.123.4>")),
    d(list_to_port("#Port<0.1>")),
    d(list_to_ref("#Ref<0.1.2.3>")),
    d({list_to_pid("<0.1.0>"), list_to_port("#Port<0.7>"), list_to_ref("#Ref<0.3.2.1>")}),
    %% deep and mixed
    d({[{a, [<<1>>, #{k => [1.5 | x]}]}], "str", 'Q', -7, 1 bsl 70, <<1:1>>}),
    d(lists:foldl(fun(I, Acc) -> [I, Acc] end, [], lists:seq(1, 30))),
    %% display_string writes to stderr; display returns true
    d(erlang:display_string(id("a string for stderr\n"))),
    d(erlang:display_string(id("unicode λ é\n"))),
    d(erlang:display(id(display_returns))),
    d(try erlang:display_string(id(not_a_string)) catch error:R -> {error, R} end),
    ok.
