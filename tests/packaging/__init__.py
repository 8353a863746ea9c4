"""Atrium as it is shipped: the wheel, installed away from the sources."""
