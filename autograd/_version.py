"""glassgrad's version, in one place: pyproject.toml reads it from here when the
distribution is built, and ``autograd.__version__`` / ``nn.__version__`` import it."""

__version__ = "0.1.0"
