"""Only what pyproject.toml cannot say: the bundled profiles live in `rules/` in the source tree
and install as the package `profilecheck.profiles` (see package-dir in pyproject.toml), next to
the packages found under `profilecheck/`."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["profilecheck*"]), "profilecheck.profiles"])
