"""Figures computed from the models: totals, financing coverage, cost sharing — exact to the cent."""
