%% io_lib:format with many control sequences (the flattened result is
%% displayed), io_lib:write/print helpers and io_lib:fread.
-module(stdlib_io_lib).
-export([main/0, id/1]).

-record(rec, {name, value = 0}).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

f(Fmt, Args) ->
    t(fun() -> lists:flatten(io_lib:format(id(Fmt), id(Args))) end).

main() ->
    Cases = [
        {"~w", [atom]}, {"~w", ['Quoted atom']}, {"~w", ["string"]}, {"~w", [<<"bin">>]}, {"~w", [{1, [2], 3.5}]},
        {"~p", ["string"]}, {"~p", [[1, 2, 3]]}, {"~p", [<<"bin">>]}, {"~p", [#{a => 1, "k" => <<"v">>}]},
        {"~p", [lists:seq(1, 40)]}, {"~p", [[{key, lists:seq(1, 15)}, {other, "a fairly long string value here"}, {x, #{a => b}}]]},
        {"~p", [{a, {b, {c, {d, {e, {f, {g, {h, {i, {j, {k, lists:seq(1, 20)}}}}}}}}}}}]},
        {"~P", [lists:seq(1, 20), 5]}, {"~W", [{a, [b, [c, [d]]]}, 3]}, {"~lp", [[955, 956]]}, {"~tp", [[955, 956]]},
        {"~s", ["abc"]}, {"~s", [<<"bin">>]}, {"~s", [abc]}, {"~s", [["io", $l, <<"ist">>]]}, {"~ts", [[955]]}, {"~ts", [<<"λ"/utf8>>]},
        {"~10s|", ["abc"]}, {"~-10s|", ["abc"]}, {"~.2s|", ["abcdef"]}, {"~10.2s|", ["abcdef"]},
        {"~c", [$a]}, {"~5c", [$x]}, {"~tc", [955]}, {"~c~c", [$o, $k]},
        {"~b", [255]}, {"~b", [-255]}, {"~.2b", [10]}, {"~.16b", [255]}, {"~.16B", [255]}, {"~.36B", [1 bsl 64]},
        {"~8.16.0B", [255]}, {"~x", [255, "0x"]}, {"~X", [255, "0x"]}, {"~.8#", [64]}, {"~+", [100]}, {"~#", [100]},
        {"~e", [1.5]}, {"~e", [123456.789]}, {"~.3e", [1.5]}, {"~.10e", [1/3]}, {"~f", [1.5]}, {"~f", [-0.001]},
        {"~.2f", [3.14159]}, {"~.0f", [2.5]}, {"~10.3f|", [3.14159]}, {"~-10.3f|", [3.14159]}, {"~g", [1.5]},
        {"~g", [1.0e-10]}, {"~g", [1.0e10]}, {"~.3g", [1234.5]}, {"~f", [1.0e20]}, {"~e", [0.0]},
        {"~i~w", [ignored, shown]}, {"~n", []}, {"~~", []}, {"a~nb", []},
        {"~*c", [3, $z]}, {"~.*f", [2, 1.23456]}, {"~*.*f|", [8, 2, 1.23456]}, {"~-*w|", [6, ab]},
        {"~10w|", [atom]}, {"~-10w|", [atom]}, {"~10..*w|", [atom]}, {"~10.5w|", [atom]},
        {"~w ~p ~s", [1, 2, "3"]}, {"~p", [#rec{name = n}]}, {"~w", [fun lists:map/2]},
        {"~w", [1.0]}, {"~w", [0.1]}, {"~w", [1.0e100]}, {"~w", [-0.0]}, {"~p", [1 bsl 100]}, {"~w", [[a | b]]},
        {"~p", [[1, 2 | 3]]}, {"~w", [<<1:3>>]}, {"~p", [<<1, 2, 3:5>>]}, {"~p", [{}]}, {"~p", [[]]}, {"~p", [""]},
        {"~p", ["with\nnewline"]}, {"~p", ["tab\t"]}, {"~p", [[0, 1, 2]]}, {"~p", [[200, 201]]}, {"~tp", [[200, 201]]},
        {"~p", ['hello world']}, {"~p", ['λ']}, {"~tp", ['λ']}, {"~w", [list_to_pid("<0.5.0>")]},
        {"~w", [too_few]}, {"~q", [x]}, {"~w ~w", [one]}, {"~s", [123]}
    ],
    [d({format, Fmt, Args, f(Fmt, Args)}) || {Fmt, Args} <- Cases],
    d({write, lists:flatten(io_lib:write({a, "b", [c]})), lists:flatten(io_lib:write(lists:seq(1, 10), 3)),
       io_lib:write_atom('needs quote'), io_lib:write_atom(plain), lists:flatten(io_lib:write_string("q\"s")),
       lists:flatten(io_lib:write_char($a)), lists:flatten(io_lib:write_latin1_string("é"))}),
    d({print, lists:flatten(io_lib:print({x, lists:seq(1, 5)})), lists:flatten(io_lib:print([a, b], 1, 80, -1))}),
    d({predicates, io_lib:printable_list("abc"), io_lib:printable_list([1]), io_lib:printable_latin1_list("é"),
       io_lib:printable_unicode_list([955]), io_lib:char_list("abc"), io_lib:deep_char_list(["a", ["b"]]), io_lib:latin1_char_list([256])}),
    d({fread, io_lib:fread("~d", "42 rest"), io_lib:fread("~s ~d", "abc 7"), io_lib:fread("~f", "1.5"), io_lib:fread("~a", "atom!"),
       io_lib:fread("~d", "x")}),
    d({nl, io_lib:nl(), io_lib:indentation("  ab", 4)}),
    d({build, lists:flatten(io_lib:build_text(io_lib:scan_format("~w|~5s", [x, "ab"])))}),
    d({unscan, io_lib:unscan_format(io_lib:scan_format("~w and ~10.3f", [a, 1.5]))}),
    ok.
