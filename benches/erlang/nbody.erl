%% The n-body simulation of the Computer Language Benchmarks Game (five
%% planets, symplectic integrator): float arithmetic in float registers.
-module(nbody).
-export([main/0, run/1]).

-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS_PER_YEAR, 365.24).

main() -> run(300000).

run(N) ->
    Bodies = offset_momentum(bodies()),
    E0 = energy(Bodies),
    Final = advance(N, Bodies, 0.01),
    E1 = energy(Final),
    erlang:display({nbody, N, float_to_list(E0, [{decimals, 9}]), float_to_list(E1, [{decimals, 9}])}).

bodies() ->
    [%% sun
     {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ?SOLAR_MASS},
     %% jupiter
     {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * ?DAYS_PER_YEAR, 7.69901118419740425e-03 * ?DAYS_PER_YEAR,
      -6.90460016972063023e-05 * ?DAYS_PER_YEAR, 9.54791938424326609e-04 * ?SOLAR_MASS},
     %% saturn
     {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * ?DAYS_PER_YEAR, 4.99852801234917238e-03 * ?DAYS_PER_YEAR,
      2.30417297573763929e-05 * ?DAYS_PER_YEAR, 2.85885980666130812e-04 * ?SOLAR_MASS},
     %% uranus
     {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * ?DAYS_PER_YEAR, 2.37847173959480950e-03 * ?DAYS_PER_YEAR,
      -2.96589568540237556e-05 * ?DAYS_PER_YEAR, 4.36624404335156298e-05 * ?SOLAR_MASS},
     %% neptune
     {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * ?DAYS_PER_YEAR, 1.62824170038242295e-03 * ?DAYS_PER_YEAR,
      -9.51592254519715870e-05 * ?DAYS_PER_YEAR, 5.15138902046611451e-05 * ?SOLAR_MASS}].

offset_momentum(Bodies) ->
    {PX, PY, PZ} = lists:foldl(fun({_, _, _, VX, VY, VZ, M}, {AX, AY, AZ}) ->
                                       {AX + VX * M, AY + VY * M, AZ + VZ * M}
                               end, {0.0, 0.0, 0.0}, Bodies),
    [{X, Y, Z, _, _, _, M} | Rest] = Bodies,
    [{X, Y, Z, -PX / ?SOLAR_MASS, -PY / ?SOLAR_MASS, -PZ / ?SOLAR_MASS, M} | Rest].

energy(Bodies) -> energy(Bodies, 0.0).
energy([], E) -> E;
energy([{X, Y, Z, VX, VY, VZ, M} | Rest], E0) ->
    E1 = E0 + 0.5 * M * (VX * VX + VY * VY + VZ * VZ),
    E2 = lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, Acc) ->
                             DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
                             Acc - (M * M2) / math:sqrt(DX * DX + DY * DY + DZ * DZ)
                     end, E1, Rest),
    energy(Rest, E2).

advance(0, Bodies, _Dt) -> Bodies;
advance(N, Bodies, Dt) ->
    B1 = velocities(Bodies, Dt),
    B2 = [{X + Dt * VX, Y + Dt * VY, Z + Dt * VZ, VX, VY, VZ, M} || {X, Y, Z, VX, VY, VZ, M} <- B1],
    advance(N - 1, B2, Dt).

%% update the velocities of every pair once
velocities([], _Dt) -> [];
velocities([B | Rest], Dt) ->
    {B2, Rest2} = interact(B, Rest, Dt, []),
    [B2 | velocities(Rest2, Dt)].

interact(B, [], _Dt, Acc) -> {B, lists:reverse(Acc)};
interact({X, Y, Z, VX, VY, VZ, M}, [{X2, Y2, Z2, VX2, VY2, VZ2, M2} | Rest], Dt, Acc)
  when is_float(X), is_float(Y), is_float(Z), is_float(VX), is_float(VY), is_float(VZ), is_float(M),
       is_float(X2), is_float(Y2), is_float(Z2), is_float(VX2), is_float(VY2), is_float(VZ2), is_float(M2),
       is_float(Dt) ->
    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
    D2 = DX * DX + DY * DY + DZ * DZ,
    Mag = Dt / (D2 * math:sqrt(D2)),
    B1 = {X, Y, Z, VX - DX * M2 * Mag, VY - DY * M2 * Mag, VZ - DZ * M2 * Mag, M},
    Other = {X2, Y2, Z2, VX2 + DX * M * Mag, VY2 + DY * M * Mag, VZ2 + DZ * M * Mag, M2},
    interact(B1, Rest, Dt, [Other | Acc]).
