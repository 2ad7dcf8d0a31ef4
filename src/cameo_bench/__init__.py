"""cameo-bench: the open implementation of CAMEO, the multilingual speech emotion benchmark."""

__version__ = "0.1.0"
__all__ = ["__version__"]
