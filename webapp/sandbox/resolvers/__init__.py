"""The sandbox's root resolvers; importing this package registers all of them."""

from . import awards, certificates, codes, company, content, users  # noqa: F401
from .registry import MUTATIONS, QUERIES

__all__ = ["MUTATIONS", "QUERIES"]
