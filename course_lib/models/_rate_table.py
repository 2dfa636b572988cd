"""Voltage lookup tables shared by the compiled neuron models (drg and excitability).

Gating rates depend only on the membrane potential, so each model tabulates them once on a fine
voltage grid and the integrator interpolates linearly between grid points, as NEURON does. This
roughly halves the cost of a step (no exp/tanh in the inner loop) at a spike-time cost far below the
0.2 ms tolerance the numerics tests hold the models to.

Units: mV.
"""

from __future__ import annotations

from numba import njit

TABLE_V_MIN = -200.0  # mV; far below any reversal potential in the course's models
TABLE_V_MAX = 150.0  # mV; far above
TABLE_DV = 0.05  # mV between grid points
INV_DV = 1.0 / TABLE_DV
N_TABLE = int(round((TABLE_V_MAX - TABLE_V_MIN) / TABLE_DV)) + 1


@njit(cache=True)
def table_slot(v):
    """Grid index i at or below ``v`` and the fraction f of the way to i + 1, clamped to the table.

    Beyond the table the edge values are used: such voltages lie far outside both reversal
    potentials and only arise from enormous stimuli.
    """
    pos = (v - TABLE_V_MIN) * INV_DV
    if pos < 0.0:
        pos = 0.0
    elif pos > N_TABLE - 1.000001:
        pos = N_TABLE - 1.000001
    i = int(pos)
    return i, pos - i
