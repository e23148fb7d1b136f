"""The clinic's complaint register (seed 003 art. 20: a complaint handling mechanism, complaints
handled promptly and resolved; seed 000: the records serve to investigate patients'
complaints). Pure: no I/O."""
