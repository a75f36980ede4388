"""Ports for the servers the tests and the benchmark start."""

from pathlib import Path

from ops.stack import free_port


def test_ports_sit_below_the_range_outgoing_connections_take_theirs_from():
    """An ephemeral port can be taken by any outgoing connection before the server binds it."""
    start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = [free_port() for _ in range(50)]
    assert all(1024 <= port < start for port in ports)
    assert len(set(ports)) == 50  # never the same port twice
