"""Every fake of tests/fakes.py offers each method of its port with the port's parameters, so that a
Protocol that changes fails here first rather than in some use case's test."""

import inspect
from dataclasses import fields

import pytest
from fakes import fake_ports

from phananh import ports as ports_module
from phananh.processing import ports as processing_ports
from phananh.report import ports as report_ports
from phananh.routing import ports as routing_ports
from phananh.transparency import ports as transparency_ports

PROTOCOLS = {
    name: getattr(module, name)
    for module in (report_ports, routing_ports, transparency_ports, processing_ports)
    for name in dir(module)
    if getattr(getattr(module, name), "_is_protocol", False)
    and getattr(module, name).__module__ == module.__name__
    and name != "EarlierClaim"  # the shape of a claim a store returns, not a port
}


def port_fields():
    """(field of Ports, the Protocol it is typed with)."""
    hints = ports_module.Ports.__annotations__
    return [(field.name, PROTOCOLS[hints[field.name]]) for field in fields(ports_module.Ports)]


def methods(protocol) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


def test_every_port_is_one_of_ports_fields():
    assert {protocol for _, protocol in port_fields()} == set(PROTOCOLS.values())


@pytest.mark.parametrize(("field", "protocol"), port_fields(), ids=[field for field, _ in port_fields()])
def test_the_fake_takes_what_the_port_takes(field, protocol):
    fake = getattr(fake_ports(), field)
    for name, signature in methods(protocol).items():
        offered = inspect.signature(getattr(fake, name))
        expected = [(p.name, p.kind, p.default) for p in list(signature.parameters.values())[1:]]
        assert [(p.name, p.kind, p.default) for p in offered.parameters.values()] == expected, (
            f"{type(fake).__name__}.{name}{offered} does not match {protocol.__name__}.{name}{signature}"
        )
