"""No Django models: the index is SQL of its own (see index.py). This module exists so that Django
sends this app the post_migrate signal, which puts back triggers that a table rebuild dropped."""
