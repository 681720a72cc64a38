"""Kept for older imports: the atomic write now lives in the public ``autograd.files``."""
from .files import write_atomically  # noqa: F401
