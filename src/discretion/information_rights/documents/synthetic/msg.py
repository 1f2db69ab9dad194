"""Writing an Outlook .msg (an OLE compound file, MS-CFB version 3) for the synthetic care file:
property streams as MS-OXMSG lays them out, small streams in the mini stream. Only what the
care file needs (strings, attachments); read back by `documents.mail.read_msg`."""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FAT_SECTOR, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, child: int, left: int, right: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00"
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        raw.ljust(64, b"\x00"),
        len(raw),
        kind,
        1,
        left,
        right,
        child,
        b"",
        0,
        0,
        0,
        start,
        size,
    )


def _tree(ids: list[int], names: dict[int, str]) -> tuple[int, dict[int, tuple[int, int]]]:
    """A balanced binary tree of siblings, ordered as MS-CFB compares names (length, then upper case)."""
    ordered = sorted(ids, key=lambda i: (len(names[i]), names[i].upper()))
    links: dict[int, tuple[int, int]] = {}

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        links[ordered[mid]] = (build(lo, mid), build(mid + 1, hi))
        return ordered[mid]

    return build(0, len(ordered)), links


def _directory(
    names: dict[int, str],
    parent: dict[int, int],
    data: dict[int, bytes],
    starts: dict[int, int],
    mini_start: int,
    mini_size: int,
) -> bytes:
    """The directory: the root (holding the mini stream), storages and streams, siblings as trees."""
    links: dict[int, tuple[int, int]] = {}
    children: dict[int, int] = {}
    for node in range(len(names)):
        root, sub = _tree([c for c, p in parent.items() if p == node], names)
        children[node] = root
        links.update(sub)
    return b"".join(
        _entry(
            names[node],
            5 if node == 0 else (1 if node not in data else 2),
            mini_start if node == 0 else starts.get(node, 0),
            mini_size if node == 0 else len(data.get(node, b"")),
            children[node],
            *links.get(node, (NOSTREAM, NOSTREAM)),
        )
        for node in range(len(names))
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """Paths like "__substg1.0_0037001F" or "__attach_version1.0_#00000000/__substg1.0_37010102"."""
    names: dict[int, str] = {0: "Root Entry"}
    parent: dict[int, int] = {}
    data: dict[int, bytes] = {}
    storages: dict[str, int] = {"": 0}
    for path in sorted(streams):
        folder, _, leaf = path.rpartition("/")
        if folder not in storages:
            storages[folder] = len(names)
            names[storages[folder]], parent[storages[folder]] = folder, 0
        node = len(names)
        names[node], parent[node], data[node] = leaf, storages[folder], streams[path]
    mini, regular, starts = bytearray(), bytearray(), {}
    mini_chain: list[int] = []
    fat: list[int] = []
    for node, content in data.items():
        if len(content) < CUTOFF:
            first = len(mini) // MINI
            count = max(1, -(-len(content) // MINI))
            mini += content.ljust(count * MINI, b"\x00")
            mini_chain += [first + k + 1 for k in range(count - 1)] + [END]
            starts[node] = first
        else:
            first = len(regular) // SECTOR
            count = -(-len(content) // SECTOR)
            regular += content.ljust(count * SECTOR, b"\x00")
            fat += [first + k + 1 for k in range(count - 1)] + [END]
            starts[node] = first

    def place(blob: bytes) -> int:
        nonlocal regular
        first = len(regular) // SECTOR
        count = max(1, -(-len(blob) // SECTOR))
        regular += bytes(blob).ljust(count * SECTOR, b"\x00")
        fat.extend([first + k + 1 for k in range(count - 1)] + [END])
        return first

    mini_stream_start = place(bytes(mini)) if mini else END
    minifat_start = place(struct.pack(f"<{len(mini_chain)}I", *mini_chain)) if mini_chain else END
    directory = _directory(names, parent, data, starts, mini_stream_start, len(mini))
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\x00")
    dir_start = place(directory)
    fat_sectors = -(-(len(fat) + 1) // (SECTOR // 4))
    while -(-(len(fat) + fat_sectors) // (SECTOR // 4)) > fat_sectors:
        fat_sectors += 1
    fat_first = len(fat)
    fat += [FAT_SECTOR] * fat_sectors
    fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(fat))
    difat = list(range(fat_first, fat_first + fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        fat_sectors,
        dir_start,
        0,
        CUTOFF,
        minifat_start,
        1 if mini_chain else 0,
        END,
        0,
        *difat,
    )
    return header + bytes(regular) + struct.pack(f"<{len(fat)}I", *fat)


def outlook_message(headers: dict[str, str], body: str, attachments: list[tuple[str, bytes]]) -> bytes:
    def text(value: str) -> bytes:
        return value.encode("utf-16-le")

    props = {"From": "0C1A", "To": "0E04", "Cc": "0E03", "Date": "0039", "Subject": "0037"}
    streams = {f"__substg1.0_{props[k]}001F": text(v) for k, v in headers.items() if k in props}
    streams["__substg1.0_1000001F"] = text(body)
    streams["__properties_version1.0"] = b"\x00" * 32
    for n, (name, content) in enumerate(attachments):
        folder = f"__attach_version1.0_#{n:08X}"
        streams[f"{folder}/__substg1.0_3707001F"] = text(name)
        streams[f"{folder}/__substg1.0_37010102"] = content
        streams[f"{folder}/__properties_version1.0"] = b"\x00" * 8
    return compound_file(streams)
