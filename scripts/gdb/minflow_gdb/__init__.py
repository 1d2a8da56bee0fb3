"""minflow's gdb pretty-printers (loaded by scripts/gdb/minflow.py)."""
