%% apply/2,3, dynamic M:F(A) calls (apply/apply_last), remote calls to a
%% second module (apply_remote), call_fun of local/external/closure funs,
%% and the errors: undef, badfun, badarity, badarg from apply with an
%% improper argument list.
-module(apply).
-export([main/0, id/1, local_exported/2, dyn_tail/3]).

id(X) -> X.
t(F) -> try F() catch C:R -> {caught, C, R} end.
d(X) -> erlang:display(X).

local_exported(A, B) -> {local_exported, A, B}.

%% M:F(Args) with variable M and F, in a non-tail and a tail position
dyn(M, F, A) -> R = M:F(A), {dyn, R}.
dyn_tail(M, F, A) -> M:F(A).
dyn2(M, F, A, B) -> M:F(A, B).
dyn_fun(M, A) -> M:run(A).
dyn_mod(F, A) -> apply_remote:F(A).

main() ->
    d({apply2, apply(fun(X, Y) -> X * Y end, [id(6), 7]), apply(fun erlang:length/1, [id([1, 2])])}),
    d({apply3, apply(lists, reverse, [id([1, 2, 3])]), apply(id(?MODULE), local_exported, [a, b]),
       apply(erlang, '+', [id(1), 2]), apply(apply_remote, double, [id(21)])}),
    d({remote, apply_remote:double(id(4)), apply_remote:sum_list(id([1, 2, 3])), apply_remote:call_back(fun id/1, x)}),
    d({remote_tail, apply_remote:chain(id(10))}),
    d({dyn, dyn(id(apply_remote), id(double), 5), dyn_tail(id(lists), id(sum), [1, 2, 3]),
       dyn2(id(erlang), id(element), 2, {a, b}), dyn_fun(id(apply_remote), 9), dyn_mod(id(double), 8)}),
    d({dyn_bif, dyn(id(erlang), id(atom_to_list), abc), dyn_tail(id(erlang), id(tuple_size), {1, 2, 3})}),
    d({dyn_self, dyn(id(?MODULE), id(id), {self_call})}),
    d({errors, t(fun() -> apply(id(no_such_mod), f, []) end),
       t(fun() -> apply(id(lists), no_such_fun, [1]) end),
       t(fun() -> apply(id(lists), reverse, [1, 2, 3]) end),
       t(fun() -> apply(id(lists), reverse, id([[1] | improper])) end),
       t(fun() -> apply(id("lists"), reverse, [[1]]) end),
       t(fun() -> apply(id(lists), id(1), [[1]]) end),
       t(fun() -> apply(id(not_a_fun), []) end),
       t(fun() -> apply(fun(X) -> X end, id([1, 2])) end),
       t(fun() -> dyn(id(apply_remote), id(missing), 1) end),
       t(fun() -> dyn(id(1), id(f), 1) end),
       t(fun() -> dyn(id(apply_remote), id("double"), 1) end),
       t(fun() -> (id(apply_remote)):private(1) end)}),
    d({remote_funs, (apply_remote:make_adder(id(3)))(4), (fun apply_remote:double/1)(id(5)),
       lists:map(fun apply_remote:double/1, id([1, 2, 3]))}),
    d({remote_error, t(fun() -> apply_remote:fail(id(oops)) end)}),
    d({many_args, apply_remote:many(id(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20),
       apply(apply_remote, many, lists:seq(1, id(20)))}),
    d({erlang_apply, erlang:apply(lists, seq, [id(1), 4]), erlang:apply(fun() -> no_args end, [])}),
    d({fun_from_mfa, (erlang:make_fun(id(apply_remote), double, 1))(6), erlang:make_fun(apply_remote, double, 1)}),
    d({exported, erlang:function_exported(apply_remote, double, 1), erlang:function_exported(apply_remote, private, 1),
       erlang:function_exported(apply_remote, nope, 0)}),
    ok.
