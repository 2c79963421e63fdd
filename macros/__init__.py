"""Macros entry point (the MkDocs macros plugin or Zensical): define_env registers the macros.

The macros and their data schema (pydantic: the slowest import) load when an engine calls
define_env, so the build steps that use one small helper from this package (the YAML reader, the
date format) start without them. Nothing here imports an engine."""
from __future__ import annotations


def define_env(env) -> None:
    from .register import define_env as register

    register(env)
