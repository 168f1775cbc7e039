%% Oracle for `oxbeam disasm --histogram`: for every .beam file given, prints
%% module<TAB>opcode<TAB>count computed by stock beam_disasm, one line per
%% opcode present, sorted by opcode name (int_code_end is not counted).
%% beam_disasm renames some instructions while resolving them; name/1 maps
%% them back to the generic opcode names of genop.tab.
-module(beam_histogram).
-export([main/1]).

main(Files) ->
    Results = [one(F) || F <- Files],
    case [F || {error, F} <- Results] of
        [] -> halt(0);
        _ -> halt(1)
    end.

one(File) ->
    case beam_disasm:file(File) of
        {beam_file, Mod, _Exports, _Attr, _CInfo, Code} ->
            Instrs = lists:append([Is || {function, _, _, _, Is} <- Code]),
            Counts = lists:foldl(fun(I, Acc) ->
                                         maps:update_with(name(I), fun(C) -> C + 1 end, 1, Acc)
                                 end, #{}, Instrs),
            ModName = atom_to_list(Mod),
            _ = [io:format("~ts\t~s\t~w~n", [ModName, Op, N])
                 || {Op, N} <- lists:sort([{atom_to_list(K), V} || {K, V} <- maps:to_list(Counts)])],
            ok;
        Other ->
            io:format(standard_error, "~ts: ~p~n", [File, Other]),
            {error, File}
    end.

name({test, I, _, _}) -> I;
name({test, I, _, _, _}) -> I;
name({test, I, _, _, _, _}) -> I;
name({bif, _, _, Args, _}) -> list_to_atom("bif" ++ integer_to_list(length(Args)));
name({gc_bif, _, _, _, Args, _}) -> list_to_atom("gc_bif" ++ integer_to_list(length(Args)));
name({arithfbif, I, _, _, _}) -> I;
name(I) when is_tuple(I) -> element(1, I);
name(I) when is_atom(I) -> I.
