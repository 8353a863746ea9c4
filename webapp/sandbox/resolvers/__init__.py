"""The sandbox's root resolvers; importing this package registers all of them."""

from . import (  # noqa: F401
    archiving,
    awards,
    certificates,
    codes,
    company,
    content,
    paths,
    progress,
    users,
)
from .registry import MUTATIONS, QUERIES

__all__ = ["MUTATIONS", "QUERIES"]
