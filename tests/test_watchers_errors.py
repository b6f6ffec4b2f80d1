"""Every error type of `watchers` survives pickling, so it can cross from a worker process.

A parse runs in a worker process and its exception comes back pickled; an exception that cannot
be rebuilt there used to break the whole process pool (issue 11). The classes are found by
walking the package, so a new error type is covered the day it is written.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import types
import typing
from typing import Any

import pytest

import watchers


def _error_classes() -> list[type[BaseException]]:
    for info in pkgutil.walk_packages(watchers.__path__, "watchers."):
        importlib.import_module(info.name)
    found: list[type[BaseException]] = []
    todo: list[type[BaseException]] = [BaseException]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("watchers.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _sample(hint: Any, name: str) -> Any:
    """A value of type `hint` unlike any default, so a field lost on the way shows."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        arms = [a for a in typing.get_args(hint) if a is not type(None)]
        return _sample(arms[0], name)
    if hint is str:
        return f"https://feeds.example.org/{name}.xml"
    if hint is bool:
        return True
    if hint is int:
        return 429
    if hint is float:
        return 120.5
    if typing.get_origin(hint) is tuple:
        return ("https://example.org/a.xml", "https://example.org/b.xml")
    raise TypeError(f"no sample for {name}: {hint!r}; teach _sample this type")


def _instance(cls: type[BaseException]) -> BaseException:
    init = cls.__init__
    if init is BaseException.__init__ or init is Exception.__init__ or not inspect.isfunction(init):
        return cls("the message says what went wrong")
    hints = typing.get_type_hints(init)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in list(inspect.signature(init).parameters.values())[1:]:
        value = _sample(hints[param.name], param.name)
        if param.kind is param.KEYWORD_ONLY:
            kwargs[param.name] = value
        else:
            args.append(value)
    return cls(*args, **kwargs)


ERRORS = _error_classes()


def test_the_walk_finds_the_errors_that_cross_process_boundaries() -> None:
    names = {c.__name__ for c in ERRORS}
    assert {"ParseError", "FetchError", "WorkerDied", "WorkerError"} <= names


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_error_survives_pickling_with_its_fields_and_message(cls: type[BaseException]) -> None:
    error = _instance(cls)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert str(back) == str(error)
    assert vars(back) == vars(error)
    assert back.args == error.args
