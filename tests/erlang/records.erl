%% Records: creation with defaults, field access, single and multi-field
%% update (setelement/set_tuple_element), matching in heads (is_tagged_tuple),
%% guards, record_info, nested records, badrecord errors.
-module(records).
-export([main/0, id/1]).

-record(point, {x = 0, y = 0}).
-record(person, {name, age = 0 :: integer(), email = none, tags = [], extra}).
-record(node, {value, left = nil, right = nil}).
-record(empty, {}).
-record(big, {f1, f2, f3, f4, f5, f6, f7, f8, f9, f10}).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

move(#point{x = X, y = Y} = P, DX, DY) -> P#point{x = X + DX, y = Y + DY}.

describe(#person{name = N, age = A}) when A >= 18 -> {adult, N};
describe(#person{name = N}) -> {minor, N};
describe(#point{}) -> point;
describe(_) -> unknown.

birthday(P) -> P#person{age = P#person.age + 1}.

%% update of many fields at once: set_tuple_element after a setelement
touch(B) -> B#big{f2 = two, f4 = four, f6 = six, f8 = eight}.

insert(V, nil) -> #node{value = V};
insert(V, #node{value = NV, left = L} = N) when V < NV -> N#node{left = insert(V, L)};
insert(V, #node{value = NV, right = R} = N) when V > NV -> N#node{right = insert(V, R)};
insert(_, N) -> N.

to_list(nil) -> [];
to_list(#node{value = V, left = L, right = R}) -> to_list(L) ++ [V] ++ to_list(R).

depth(nil) -> 0;
depth(#node{left = L, right = R}) -> 1 + max(depth(L), depth(R)).

is_pt(X) when is_record(X, point) -> true;
is_pt(_) -> false.

main() ->
    P0 = #point{},
    P1 = #point{x = id(3), y = id(4)},
    d({create, P0, P1, #person{name = "ann"}, #empty{}, #big{}}),
    d({access, P1#point.x, P1#point.y, (id(#person{name = bob, age = 30}))#person.age}),
    d({index, #point.x, #point.y, #person.tags, #big.f10}),
    d({update, move(id(P1), 1, -1), birthday(id(#person{name = c, age = 9})), touch(id(#big{f1 = 1}))}),
    d({describe, [describe(id(X)) || X <- [#person{name = a, age = 20}, #person{name = b, age = 5}, P1, {point}, x, {person, n}]]}),
    d({is_record, is_pt(id(P1)), is_pt(id({point, 1})), is_pt(id({point, 1, 2})), is_record(id(P1), point),
       is_record(id(P1), person), is_record(id(P1), point, 3), is_record(id(P1), point, 4)}),
    d({record_info, record_info(fields, person), record_info(size, person), record_info(fields, empty)}),
    T = lists:foldl(fun insert/2, nil, id([50, 30, 70, 20, 40, 60, 80, 35, 45, 65])),
    d({tree, to_list(T), depth(T)}),
    d({tree_raw, insert(1, insert(2, insert(3, nil)))}),
    d({badrecord, t(fun() -> (id(P1))#person.name end), t(fun() -> (id(notrec))#point{x = 1} end),
       t(fun() -> (id({point, 1}))#point.x end), t(fun() -> birthday(id(P1)) end)}),
    d({as_tuple, tuple_size(P1), element(1, P1), setelement(2, P1, 9), P1 =:= {point, 3, 4}}),
    d({match_partial, case id(#person{name = z, tags = [a, b]}) of #person{tags = [First | _]} -> First; _ -> none end}),
    d({update_chain, ((id(P0))#point{x = 1})#point{y = 2}}),
    d({list_of_records, lists:keysort(#person.age, [#person{name = N, age = A} || {N, A} <- [{a, 5}, {b, 3}, {c, 9}]])}),
    d({keyfind, lists:keyfind(b, #person.name, [#person{name = a}, #person{name = b, age = 7}])}),
    ok.
