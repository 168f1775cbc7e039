%% The string module (chardata functions and the old list functions) and
%% unicode strings (grapheme clusters, case mapping), on lists and binaries.
-module(stdlib_string).
-export([main/0, id/1]).

-compile({nowarn_deprecated_function, [{string, len, 1}, {string, substr, 3}, {string, tokens, 2},
                                        {string, to_upper, 1}, {string, to_lower, 1}, {string, strip, 1},
                                        {string, chr, 2}, {string, str, 2}, {string, join, 2},
                                        {string, left, 3}, {string, right, 3}, {string, centre, 2},
                                        {string, copies, 2}, {string, words, 1}, {string, sub_word, 2}]}).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

main() ->
    S = id("  Hello, World!  "),
    B = id(<<"  Hello, World!  ">>),
    U = id("Ünïcödé ßtraße ǅ"),
    UB = id(<<"Ünïcödé ßtraße ǅ"/utf8>>),
    d({trim, string:trim(S), string:trim(B), string:trim(S, leading), string:trim(S, trailing), string:trim("xxaxx", both, "x")}),
    d({length, string:length(S), string:length(U), string:length(UB), string:length([$e, 16#301]), string:length(<<"e\x{301}"/utf8>>)}),
    d({case_map, string:uppercase(U), string:lowercase(UB), string:titlecase("ǆemal"), string:casefold("Straße"),
       string:uppercase(<<"abc">>), string:to_upper("mixed Case 1"), string:to_lower("MIXED Case")}),
    d({split, string:split("a,b,,c", ","), string:split("a,b,,c", ",", all), string:split(<<"k=v=w">>, "=", trailing),
       string:split("abc", "x"), string:split("", ",")}),
    d({lexemes, string:lexemes("  a b\tc\n d ", " \t\n"), string:lexemes(<<"1,2,,3">>, ","), string:tokens("a-b_c", "-_")}),
    d({find, string:find("hello world", "o"), string:find("hello world", "o", trailing), string:find(<<"abc">>, "x"),
       string:find("aaa", "")}),
    d({replace, string:replace("a.b.c", ".", "-"), string:replace("a.b.c", ".", "-", all), string:replace(<<"aXbXc">>, "X", "--", trailing)}),
    d({slice, string:slice("Hello World", 6), string:slice("Hello World", 0, 5), string:slice(U, 3, 4), string:slice(UB, 8)}),
    d({pad, string:pad("abc", 8), string:pad("abc", 8, leading), string:pad("abc", 8, both, $*), string:pad(<<"abc">>, 2)}),
    d({equal, string:equal("abc", <<"abc">>), string:equal("ABC", "abc", true), string:equal("a", "b"), string:is_empty(""), string:is_empty([<<>>, []]),
       string:is_empty(" ")}),
    d({prefix, string:prefix("foobar", "foo"), string:prefix(<<"foobar">>, "bar"), string:prefix("abc", "")}),
    d({reverse, string:reverse("abc"), string:reverse(<<"abc">>), string:reverse([$e, 16#301, $a])}),
    d({take, string:take("abc123", "abc"), string:take("abc123", "0123456789", true), string:take("  x", " ", false, leading)}),
    d({chomp, string:chomp("line\n"), string:chomp("line\r\n"), string:chomp(<<"x\n\n">>)}),
    d({to_number, string:to_integer("123abc"), string:to_integer("-7"), string:to_integer("x"), string:to_integer(<<"42 rest">>),
       string:to_float("1.5e3xyz"), string:to_float("1"), string:to_float("2.5")}),
    d({next, string:next_grapheme("äb"), string:next_grapheme([$e, 16#301, $x]), string:next_codepoint(<<"λx"/utf8>>),
       string:next_grapheme(""), string:to_graphemes("e\x{301}a")}),
    d({old_funs, string:len("abc"), string:substr("hello", 2, 3), string:chr("hello", $l), string:str("hello", "ll"),
       string:strip("  x  "), string:join(["a", "b", "c"], ", "), string:left("ab", 5, $.), string:right("ab", 5, $.),
       string:centre("ab", 6), string:copies("ab", 3), string:words("a bb  ccc"), string:sub_word("a bb ccc", 2)}),
    d({chardata, string:trim([<<"  a">>, "b  "]), string:uppercase([<<"a">>, [$b, <<"c">>]]), string:length([<<"ab">>, $c, [<<"d">>]])}),
    d({errors, t(fun() -> string:length(id(atom)) end), t(fun() -> string:uppercase(id([-1])) end)}),
    ok.
