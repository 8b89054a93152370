"""The stand-in's model, provider-neutral and without HTTP: the n-gram model (``ngram``), the
scripted behaviours (``behaviours/``) and the engine that joins them (``engine``).

See README.md beside this file. Importing this package loads nothing; ``ngram`` and ``engine``
load numpy and the tokenizer when imported.
"""
