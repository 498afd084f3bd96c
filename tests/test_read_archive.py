"""Reading a repository archive in memory: wanted regular files only, never a crash."""

from __future__ import annotations

import io
import tarfile

from bot.jobs.rescan import MAX_ARCHIVE_MEMBER_BYTES, read_archive


def archive(members: list[tuple[str, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if content is None:  # a symlink
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_wanted_files_are_read_with_the_top_folder_stripped() -> None:
    data = archive([("svc-main-abc/app.py", b"x = 1\n"), ("svc-main-abc/other.py", b"y = 2\n")])
    assert read_archive(data, {"app.py"}) == {"app.py": b"x = 1\n"}


def test_links_oversized_and_escaping_members_are_passed_over() -> None:
    data = archive(
        [
            ("top/link.py", None),
            ("top/big.py", b"#" * (MAX_ARCHIVE_MEMBER_BYTES + 1)),
            ("top/../../etc/passwd", b"root"),
        ]
    )
    assert read_archive(data, {"link.py", "big.py", "../../etc/passwd", "etc/passwd"}) == {}


def test_a_damaged_archive_gives_nothing_instead_of_an_error() -> None:
    assert read_archive(b"not a gzip stream", {"app.py"}) == {}
    assert read_archive(archive([("top/app.py", b"x")])[:40], {"app.py"}) == {}
