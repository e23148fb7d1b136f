"""The client file's rules: its parts, what each entry must say, and who may correct it.

Pure: no I/O. The entries themselves live in `domain.store.client_file`, append-only.
"""
