"""Demo data placeholder; replaced below."""


class DemoRefused(Exception):
    pass


def fill(session):  # type: ignore[no-untyped-def]
    return []
