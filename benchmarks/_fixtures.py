"""Data folders for the benchmarks: drop-in plugins, icons and configs.

Written without Qt (icons are encoded here) so the parent process stays
light and every Qt cost lands in the measured child processes.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from desktop_app.store import ConfigRecord, ConfigStore

_PLUGIN = '''"""Start-up benchmark plugin {i}."""

from desktop_app import Integration


class BenchPlugin{i:03d}(Integration):
    integration_id = "benchmarks.startup.p{i:03d}"
    name = "Bench plugin {i:03d}"
    description = "Drop-in plugin {i} of the start-up benchmark."
    icon_static_urls = {{"1x": {icon1!r}, "2x": {icon2!r}}}

    def initialize(self) -> None:
        pass
'''


def png(size: int, rgb: tuple[int, int, int]) -> bytes:
    """Return a ``size``×``size`` RGBA PNG: a coloured disc on transparency."""
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray(b"\x00")  # filter: none
        for x in range(size):
            inside = (x - c) ** 2 + (y - c) ** 2 <= (size / 2 - 1) ** 2
            row += bytes((*rgb, 255)) if inside else b"\x00\x00\x00\x00"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def write_icons(folder: Path) -> tuple[Path, Path]:
    """Write the 48 px and 96 px icons every plugin shares."""
    folder.mkdir(parents=True, exist_ok=True)
    icon1, icon2 = folder / "icon-48.png", folder / "icon-96.png"
    icon1.write_bytes(png(48, (52, 120, 246)))
    icon2.write_bytes(png(96, (52, 120, 246)))
    return icon1, icon2


def write_plugins(plugins_dir: Path, count: int, icons: tuple[Path, Path]) -> None:
    """Write ``count`` one-file plugins, each defining one integration."""
    # Private, as the app wants its data folder (or it warns on start).
    plugins_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    plugins_dir.parent.chmod(0o700)
    for i in range(count):
        (plugins_dir / f"bench_plugin_{i:03d}.py").write_text(
            _PLUGIN.format(i=i, icon1=str(icons[0]), icon2=str(icons[1]))
        )


def plugin_integration_id(i: int) -> str:
    return f"benchmarks.startup.p{i:03d}"


def config_rows(integration_ids: list[str], count: int) -> list[ConfigRecord]:
    """Return ``count`` new configs spread round-robin over the ids; every
    other one enabled, settings like a small real form's."""
    return [
        ConfigRecord(
            integration_id=integration_ids[j % len(integration_ids)],
            name=f"Config {j:06d}",
            enabled=j % 2 == 0,
            settings={
                "url": f"https://hooks.example.com/{j}",
                "retries": j % 5,
                "signals": ["config_saved"],
            },
        )
        for j in range(count)
    ]


def fill_database(database: Path, integration_ids: list[str], count: int) -> None:
    """Create the database and bulk-insert ``count`` configs."""
    with ConfigStore(database) as store:
        store.bulk_insert(config_rows(integration_ids, count))
